package dev.unusd.hub.web;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.core.DefaultParameterNameDiscoverer;
import org.springframework.core.MethodParameter;
import org.springframework.core.ParameterNameDiscoverer;
import org.springframework.stereotype.Component;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Query strings are as strict as bodies: a parameter the endpoint does not declare ({@code limt=1}, a filter it does
 * not have) is refused rather than ignored, and so is a second value of a single-valued parameter, which Spring
 * would otherwise bind by taking the first or joining them. Parameters declared as lists take repeats. On every page
 * too, the dashboard's forms included, each value must be {@link PlainText}: a NUL would otherwise reach PostgreSQL,
 * which refuses it with an error that says nothing about the parameter.
 */
@Component
class StrictQueryParameters implements HandlerInterceptor {

    private static final ParameterNameDiscoverer NAMES = new DefaultParameterNameDiscoverer();

    /** Per handler method: each declared parameter name, and whether it takes several values. */
    private final Map<Method, Map<String, Boolean>> declared = new ConcurrentHashMap<>();

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        if (request.getDispatcherType() != DispatcherType.REQUEST || !(handler instanceof HandlerMethod method)) {
            return true;
        }
        boolean api = request.getRequestURI().startsWith("/api/");
        Map<String, Boolean> parameters = api ? declared.computeIfAbsent(method.getMethod(), m -> parameters(method))
                : Map.of();
        List<FieldError> errors = new ArrayList<>();
        request.getParameterMap().forEach((name, values) -> {
            Boolean repeatable = parameters.get(name);
            if (api && repeatable == null) {
                errors.add(new FieldError(name, "unknown parameter; this endpoint takes "
                        + (parameters.isEmpty() ? "none" : String.join(", ", parameters.keySet()))));
            } else if (api && values.length > 1 && !repeatable) {
                errors.add(new FieldError(name, "must be given once"));
            }
            Arrays.stream(values).map(PlainText::fault).flatMap(Optional::stream).findFirst()
                    .ifPresent(fault -> errors.add(new FieldError(name, fault)));
        });
        if (!errors.isEmpty()) {
            throw ApiException.badRequest(errors);
        }
        return true;
    }

    private static Map<String, Boolean> parameters(HandlerMethod method) {
        Map<String, Boolean> names = new LinkedHashMap<>();
        for (MethodParameter parameter : method.getMethodParameters()) {
            RequestParam param = parameter.getParameterAnnotation(RequestParam.class);
            if (param == null) {
                continue;
            }
            parameter.initParameterNameDiscovery(NAMES);
            String name = !param.name().isEmpty() ? param.name()
                    : !param.value().isEmpty() ? param.value() : parameter.getParameterName();
            Class<?> type = parameter.getParameterType();
            names.put(name, type.isArray() || Collection.class.isAssignableFrom(type));
        }
        return names;
    }
}
