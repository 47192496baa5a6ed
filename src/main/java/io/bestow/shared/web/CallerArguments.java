package io.bestow.shared.web;

import io.bestow.shared.Actor;
import io.bestow.shared.ApiException;
import io.bestow.shared.Paging;
import io.bestow.shared.ProjectId;
import java.util.List;
import java.util.Map;
import org.springdoc.core.utils.SpringDocUtils;
import org.springframework.core.MethodParameter;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.bind.support.WebDataBinderFactory;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.method.support.ModelAndViewContainer;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Lets controllers take the caller ({@link Actor}), its {@link ProjectId} and a {@link Paging} as plain method
 * arguments.
 */
@Component
class CallerArguments implements WebMvcConfigurer, HandlerMethodArgumentResolver {

    static {
        SpringDocUtils.getConfig().addRequestWrapperToIgnore(Actor.class, ProjectId.class, Paging.class);
    }

    @Override
    public void addArgumentResolvers(List<HandlerMethodArgumentResolver> resolvers) {
        resolvers.add(this);
    }

    @Override
    public boolean supportsParameter(MethodParameter parameter) {
        var type = parameter.getParameterType();
        return type == Actor.class || type == ProjectId.class || type == Paging.class;
    }

    @Override
    public Object resolveArgument(
            MethodParameter parameter,
            ModelAndViewContainer container,
            NativeWebRequest request,
            WebDataBinderFactory binders) {
        var type = parameter.getParameterType();
        if (type == Paging.class) {
            return Paging.of(
                    integer(request, "limit"), integer(request, "page"), request.getParameter("starting_after"));
        }
        var actor = Actor.current()
                .orElseThrow(
                        () -> new ApiException(HttpStatus.UNAUTHORIZED, "unauthorized", "Authentication required"));
        return type == Actor.class ? actor : actor.projectId();
    }

    private static Integer integer(NativeWebRequest request, String name) {
        var value = request.getParameter(name);
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Integer.valueOf(value.trim());
        } catch (NumberFormatException e) {
            throw new ApiException(
                    HttpStatus.BAD_REQUEST,
                    "invalid_query_params",
                    name + " must be a whole number",
                    Map.of(name, "must be a whole number"));
        }
    }
}
