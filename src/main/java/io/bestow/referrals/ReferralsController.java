package io.bestow.referrals;

import io.bestow.shared.Paging;
import io.bestow.shared.ProjectId;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /v1/referrals}: the conversions of referral campaigns and the rewards they earned. */
@RestController
@Tag(name = "Referrals")
class ReferralsController {

    private final Referrals referrals;

    ReferralsController(Referrals referrals) {
        this.referrals = referrals;
    }

    /** Newest first; filters: {@code campaign} (id or name) and {@code referrer} (customer id). */
    @GetMapping("/v1/referrals")
    Map<String, Object> list(
            ProjectId project,
            Paging paging,
            @RequestParam(name = "campaign", required = false) @Nullable String campaign,
            @RequestParam(name = "referrer", required = false) @Nullable String referrer) {
        return paging.list(
                "referrals",
                referrals.conversions(project, campaign, referrer, paging),
                referrals.countConversions(project, campaign, referrer));
    }
}
