package io.bestow.console;

import io.bestow.giftlinks.ClaimingGiftLink;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The recipient's claim pages at {@code /claim/{token}}: server-rendered forms that work without JavaScript, each
 * with a CSRF token. E-mail, then the one-time code, then (for a physical gift) the address.
 */
@Controller
class ClaimPages {

    private static final List<String> ADDRESS_FIELDS =
            List.of("line_1", "line_2", "city", "state", "postal_code", "country");

    private final ClaimingGiftLink claiming;

    ClaimPages(ClaimingGiftLink claiming) {
        this.claiming = claiming;
    }

    @GetMapping("/claim/{token}")
    String start(@PathVariable String token, Model model, HttpServletResponse response) {
        var opened = claiming.open(token);
        if (opened.isEmpty()) {
            return closed(model, response, "not_found");
        }
        if (opened.get().closedBecause() != null) {
            return closed(model, response, opened.get().closedBecause());
        }
        model.addAttribute("gift", opened.get());
        model.addAttribute("token", token);
        return "claim/start";
    }

    @PostMapping("/claim/{token}")
    String requestCode(
            @PathVariable String token,
            @RequestParam String email,
            HttpServletRequest request,
            HttpServletResponse response,
            Model model) {
        try {
            var verification = claiming.requestCode(token, email, request.getRemoteAddr());
            return "redirect:/claim/" + token + "/code?v=" + verification;
        } catch (ClaimingGiftLink.Refused refused) {
            return closed(model, response, refused.reason());
        }
    }

    @GetMapping("/claim/{token}/code")
    String code(@PathVariable String token, @RequestParam("v") String verification, Model model) {
        model.addAttribute("token", token);
        model.addAttribute("verification", verification);
        return "claim/code";
    }

    @PostMapping("/claim/{token}/code")
    String verify(
            @PathVariable String token,
            @RequestParam("v") String verification,
            @RequestParam String code,
            HttpServletRequest request,
            HttpServletResponse response,
            Model model) {
        ClaimingGiftLink.Outcome outcome;
        try {
            outcome = claiming.verify(token, verification, code, request.getRemoteAddr());
        } catch (ClaimingGiftLink.Refused refused) {
            return closed(model, response, refused.reason());
        }
        model.addAttribute("token", token);
        model.addAttribute("verification", verification);
        model.addAttribute("outcome", outcome);
        return switch (outcome.kind()) {
            case WRONG_CODE, LOCKED, CODE_EXPIRED -> {
                response.setStatus(422);
                yield "claim/code";
            }
            case ADDRESS_NEEDED -> "redirect:/claim/" + token + "/address?v=" + verification;
            default -> "claim/done";
        };
    }

    @GetMapping("/claim/{token}/address")
    String address(@PathVariable String token, @RequestParam("v") String verification, Model model) {
        model.addAttribute("token", token);
        model.addAttribute("verification", verification);
        model.addAttribute("address", claiming.address(token, verification).orElse(Map.of()));
        return "claim/address";
    }

    @PostMapping("/claim/{token}/address")
    String confirmAddress(
            @PathVariable String token,
            @RequestParam("v") String verification,
            @RequestParam Map<String, String> form,
            HttpServletResponse response,
            Model model) {
        var fields = new LinkedHashMap<String, String>();
        ADDRESS_FIELDS.forEach(field -> fields.put(field, form.getOrDefault(field, "")));
        var outcome = claiming.confirmAddress(token, verification, fields);
        model.addAttribute("token", token);
        model.addAttribute("verification", verification);
        model.addAttribute("outcome", outcome);
        if (outcome.kind() == ClaimingGiftLink.Outcome.Kind.ADDRESS_NEEDED) {
            response.setStatus(422);
            model.addAttribute("address", fields);
            model.addAttribute("invalid", true);
            return "claim/address";
        }
        return "claim/done";
    }

    private static String closed(Model model, HttpServletResponse response, String reason) {
        response.setStatus(
                reason.equals("slow_down") ? 429 : reason.equals("not_found") ? 404 : HttpServletResponse.SC_GONE);
        model.addAttribute("reason", reason);
        return "claim/closed";
    }
}
