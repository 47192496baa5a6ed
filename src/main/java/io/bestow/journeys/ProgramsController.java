package io.bestow.journeys;

import io.bestow.shared.Paging;
import io.bestow.shared.ProjectId;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.io.IOException;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

/** {@code /v1/programs}: journeys, their lifecycle, previews and participants. */
@RestController
@Tag(name = "Programs")
class ProgramsController {

    private final ProgramManagement programs;

    ProgramsController(ProgramManagement programs) {
        this.programs = programs;
    }

    @PostMapping("/v1/programs")
    @ResponseStatus(HttpStatus.CREATED)
    @PreAuthorize("hasRole('ADMIN')")
    Program create(ProjectId project, @RequestBody JsonNode body) {
        return programs.create(project, body);
    }

    /** Newest first; filter by {@code status} (draft, active, paused, stopped). */
    @GetMapping("/v1/programs")
    Map<String, Object> list(
            ProjectId project, Paging paging, @RequestParam(required = false) @Nullable String status) {
        return paging.list(
                "programs", programs.programs(project, status, paging), programs.countPrograms(project, status));
    }

    @GetMapping("/v1/programs/{id}")
    Program get(ProjectId project, @PathVariable String id) {
        return programs.program(project, id);
    }

    /** Edits the draft; the published version stays as it is until the draft is published. */
    @PutMapping("/v1/programs/{id}")
    @PreAuthorize("hasRole('ADMIN')")
    Program update(ProjectId project, @PathVariable String id, @RequestBody JsonNode body) {
        return programs.update(project, id, body);
    }

    @DeleteMapping("/v1/programs/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @PreAuthorize("hasRole('ADMIN')")
    void delete(ProjectId project, @PathVariable String id) {
        programs.delete(project, id);
    }

    @GetMapping("/v1/programs/{id}/versions/{version}")
    Map<String, Object> version(ProjectId project, @PathVariable String id, @PathVariable int version) {
        return programs.version(project, id, version);
    }

    @PostMapping("/v1/programs/{id}/publish")
    @PreAuthorize("hasRole('ADMIN')")
    Map<String, Object> publish(ProjectId project, @PathVariable String id) {
        return programs.publish(project, id);
    }

    @PostMapping("/v1/programs/{id}/pause")
    @PreAuthorize("hasRole('ADMIN')")
    Program pause(ProjectId project, @PathVariable String id) {
        return programs.pause(project, id);
    }

    @PostMapping("/v1/programs/{id}/resume")
    @PreAuthorize("hasRole('ADMIN')")
    Program resume(ProjectId project, @PathVariable String id) {
        return programs.resume(project, id);
    }

    @PostMapping("/v1/programs/{id}/stop")
    @PreAuthorize("hasRole('ADMIN')")
    Program stop(ProjectId project, @PathVariable String id) {
        return programs.stop(project, id);
    }

    /** Renders every step for a sample participant without calling out, and lists what is wrong. */
    @PostMapping("/v1/programs/{id}/preview")
    Map<String, Object> preview(
            ProjectId project, @PathVariable String id, @RequestBody(required = false) @Nullable JsonNode body) {
        return programs.preview(project, id, body == null ? JsonNodeFactory.instance.objectNode() : body);
    }

    @GetMapping("/v1/programs/{id}/stats")
    Map<String, Object> stats(ProjectId project, @PathVariable String id) {
        return programs.stats(project, id);
    }

    /** Newest first; filter by {@code status} and {@code customer_id} (an id or a source id). */
    @GetMapping("/v1/programs/{id}/participants")
    Map<String, Object> participants(
            ProjectId project,
            Paging paging,
            @PathVariable String id,
            @RequestParam(required = false) @Nullable String status,
            @RequestParam(name = "customer_id", required = false) @Nullable String customer) {
        return paging.list(
                "participants",
                programs.participants(project, id, status, customer, paging),
                programs.countParticipants(project, id, status, customer));
    }

    @GetMapping("/v1/programs/{id}/participants/{participantId}")
    Participant participant(ProjectId project, @PathVariable String id, @PathVariable String participantId) {
        return programs.participant(project, id, participantId);
    }

    /** Enters customers by hand: {@code customers} at once, or a {@code query} or {@code segment_id} as an async action. */
    @PostMapping(path = "/v1/programs/{id}/participants", consumes = MediaType.APPLICATION_JSON_VALUE)
    @ResponseStatus(HttpStatus.ACCEPTED)
    Map<String, Object> enter(ProjectId project, @PathVariable String id, @RequestBody JsonNode body) {
        return programs.enter(project, id, body);
    }

    /**
     * Enters an uploaded list (multipart field {@code file}): a CSV with a {@code source_id}, {@code id} or
     * {@code email} column, up to 10,000 rows.
     */
    @PostMapping(path = "/v1/programs/{id}/participants", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    @ResponseStatus(HttpStatus.ACCEPTED)
    Map<String, Object> enterUploaded(
            ProjectId project, @PathVariable String id, @RequestParam("file") MultipartFile file) throws IOException {
        try (var in = file.getInputStream()) {
            return programs.enterUploaded(project, id, in);
        }
    }
}
