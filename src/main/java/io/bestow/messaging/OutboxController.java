package io.bestow.messaging;

import io.bestow.shared.Paging;
import io.bestow.shared.ProjectId;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** {@code /v1/outbox}: the e-mails Bestow sent or stored, for admins (they carry one-time codes). */
@RestController
@Tag(name = "Outbox")
class OutboxController {

    private final MailManagement mails;

    OutboxController(MailManagement mails) {
        this.mails = mails;
    }

    /** Newest first; {@code to} and {@code purpose} filter. */
    @GetMapping("/v1/outbox")
    @PreAuthorize("hasRole('ADMIN')")
    Map<String, Object> list(
            ProjectId project,
            Paging paging,
            @RequestParam(required = false) @Nullable String to,
            @RequestParam(required = false) @Nullable String purpose) {
        return paging.list("mails", mails.mails(project, to, purpose, paging), mails.countMails(project, to, purpose));
    }

    @GetMapping("/v1/outbox/{id}")
    @PreAuthorize("hasRole('ADMIN')")
    Mail get(ProjectId project, @PathVariable String id) {
        return mails.mail(project, id);
    }
}
