package io.bestow.identity;

import io.bestow.shared.DemoData;
import io.bestow.shared.ProjectId;
import org.springframework.stereotype.Component;

/** Demo data of the identity module: a member user beside the admin. */
@Component
class IdentityDemoData implements DemoData {

    static final String MEMBER_EMAIL = "member@demo.bestow.local";

    private final IdentityManagement identity;

    IdentityDemoData(IdentityManagement identity) {
        this.identity = identity;
    }

    @Override
    public void seed(ProjectId project) {
        identity.createUser(project, MEMBER_EMAIL, "Demo Member", "demo-member-password", Role.MEMBER);
    }
}
