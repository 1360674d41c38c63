package dev.unusd.hub.web;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import org.springframework.web.servlet.resource.ResourceUrlEncodingFilter;

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

    /**
     * Boot installs this filter because WebJars are on the class path; it offers every link a page renders to the
     * static resource resolvers, and each link that is not a file (/keys/..., every form's action) was searched for in
     * the jar: milliseconds per link, half a second for a page of findings. The dashboard needs no rewritten links:
     * WebJars resolve their version when requested. Registered disabled, so Boot installs none.
     */
    @Bean
    FilterRegistrationBean<ResourceUrlEncodingFilter> noResourceUrlEncoding() {
        FilterRegistrationBean<ResourceUrlEncodingFilter> off =
                new FilterRegistrationBean<>(new ResourceUrlEncodingFilter());
        off.setEnabled(false);
        return off;
    }
}
