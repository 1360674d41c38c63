package dev.unusd.hub.tenant;

import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;

/** The dashboard's sign-in form; Spring Security's form login takes its POST (DashboardSecurity). */
@Controller
class SignInPage {

    @GetMapping(DashboardSecurity.SIGN_IN)
    String signIn() {
        return SecurityContextHolder.getContext().getAuthentication() instanceof TenantAuthentication
                ? "redirect:/" : "dashboard/sign-in";
    }
}
