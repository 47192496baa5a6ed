package io.bestow.customers;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.bestow.shared.Paging;
import io.bestow.shared.ProjectId;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.util.HashMap;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** {@code /v1/segments}: saved CEL filters over customers, their size and their members. */
@RestController
@RequestMapping("/v1/segments")
@Tag(name = "Segments")
class SegmentsController {

    private final SegmentManagement segments;
    private final CustomerManagement customers;

    SegmentsController(SegmentManagement segments, CustomerManagement customers) {
        this.segments = segments;
        this.customers = customers;
    }

    record CreateSegment(
            @NotBlank @Size(max = 200) String name,
            @NotBlank @Size(max = 4096) String filter) {}

    /** A segment with its current size and, as in Voucherify, its initial sync status. */
    record SegmentView(@JsonUnwrapped Segment segment, long size, String initialSyncStatus) {}

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    SegmentView create(ProjectId project, @Valid @RequestBody CreateSegment request) {
        var segment =
                segments.create(project, request.name().trim(), request.filter().trim());
        return new SegmentView(segment, segments.size(project, segment.id()), "DONE");
    }

    @GetMapping
    Map<String, Object> list(ProjectId project, Paging paging) {
        return paging.list("segments", segments.segments(project, paging), segments.countSegments(project));
    }

    @GetMapping("/{id}")
    SegmentView get(ProjectId project, @PathVariable String id) {
        return new SegmentView(segments.segment(project, id), segments.size(project, id), "DONE");
    }

    /** The segment's customers, paged like {@code GET /v1/customers}. */
    @GetMapping("/{id}/members")
    Map<String, Object> members(ProjectId project, @PathVariable String id, Paging paging) {
        var filter = new HashMap<String, String>();
        filter.put("segment_id", segments.segment(project, id).id());
        var page = customers.customers(project, filter, paging).stream()
                .map(CustomerView::of)
                .toList();
        return paging.list("customers", page, customers.countCustomers(project, filter));
    }

    @DeleteMapping("/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void delete(ProjectId project, @PathVariable String id) {
        segments.delete(project, id);
    }
}
