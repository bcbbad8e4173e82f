package org.homecoming.platform.security;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.context.EnvironmentAware;
import org.springframework.core.env.Environment;

/**
 * Refuses to start a service that would reach the identity provider or the schema registry in clear text over a
 * network: a man in the middle of the identity provider's key set could sign tokens with any role, and the registry's
 * token endpoint takes the service's client secret. Each must be https, or http to a host {@link ClearTextHosts} allows.
 * Every such setting is checked before any bean is made (nothing has connected yet), and all problems are named at once.
 */
public class EncryptedEndpoints implements BeanFactoryPostProcessor, EnvironmentAware {

    /** The settings that name an endpoint, and what each carries. */
    static final Map<String, String> ENDPOINTS = endpoints();

    private Environment environment;

    private static Map<String, String> endpoints() {
        Map<String, String> endpoints = new LinkedHashMap<>();
        String keys = "the identity provider's keys, which decide whose tokens are accepted";
        endpoints.put("homecoming.identity.issuer-uri", keys);
        endpoints.put("spring.security.oauth2.resourceserver.jwt.issuer-uri", keys);
        endpoints.put("spring.security.oauth2.resourceserver.jwt.jwk-set-uri", keys);
        endpoints.put("homecoming.console.login.issuer-uri", "people's sign-in and the console's client secret");
        endpoints.put("homecoming.registry.url", "the schemas every record is read with, and the service's registry token");
        endpoints.put("spring.kafka.properties.apicurio.registry.auth.service.token.endpoint", "the service's registry client secret");
        return endpoints;
    }

    @Override
    public void setEnvironment(Environment environment) {
        this.environment = environment;
    }

    @Override
    public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) {
        List<String> problems = problems(environment);
        if (!problems.isEmpty()) {
            throw new IllegalStateException("Endpoints would be reached in clear text, where anyone on the way could read "
                    + "or change what they carry: " + String.join("; ", problems) + ". Use https, "
                    + ClearTextHosts.remedy() + ".");
        }
    }

    static List<String> problems(Environment environment) {
        ClearTextHosts clearText = ClearTextHosts.of(environment);
        List<String> problems = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        ENDPOINTS.forEach((setting, what) -> {
            String url = environment.getProperty(setting);
            // Boot's issuer-uri is homecoming.identity.issuer-uri unless set apart: one problem, named once
            if (url != null && !url.isBlank() && seen.add(url.trim())) {
                clearText.problem(setting, url, what).ifPresent(problems::add);
            }
        });
        return problems;
    }
}
