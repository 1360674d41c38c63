package dev.unusd.hub.web;

import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

@Configuration(proxyBeanMethods = false)
class WebConfiguration implements WebMvcConfigurer {

    private final StrictQueryParameters strictQueryParameters;

    WebConfiguration(StrictQueryParameters strictQueryParameters) {
        this.strictQueryParameters = strictQueryParameters;
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(strictQueryParameters);
    }
}
