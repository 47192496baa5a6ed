package io.bestow.console;

import io.bestow.identity.IdentityManagement;
import io.bestow.identity.Role;
import io.bestow.shared.Actor;
import io.bestow.shared.Paging;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** The console's home: the project, its API keys (admins create and revoke them here) and its users. */
@Controller
class ProjectPage {

    private final IdentityManagement identity;

    ProjectPage(IdentityManagement identity) {
        this.identity = identity;
    }

    @GetMapping("/")
    String show(Actor actor, Model model) {
        var project = actor.projectId();
        model.addAttribute("project", identity.project(project));
        model.addAttribute("me", identity.user(project, actor.id()));
        model.addAttribute("admin", actor.admin());
        model.addAttribute("keys", identity.apiKeys(project, Paging.of(Paging.MAX_LIMIT, 1, null)));
        model.addAttribute("users", identity.users(project, Paging.of(Paging.MAX_LIMIT, 1, null)));
        return "console/project";
    }

    @PostMapping("/api-keys")
    @PreAuthorize("hasRole('ADMIN')")
    String createKey(Actor actor, @RequestParam String name, RedirectAttributes redirect) {
        var label = name.isBlank() ? "Console key" : name.trim();
        var issued = identity.createApiKey(actor.projectId(), label, Role.ADMIN);
        redirect.addFlashAttribute("issued", issued);
        return "redirect:/";
    }

    @PostMapping("/api-keys/{id}/revoke")
    @PreAuthorize("hasRole('ADMIN')")
    String revokeKey(Actor actor, @PathVariable String id) {
        identity.revokeApiKey(actor.projectId(), id);
        return "redirect:/";
    }
}
