package org.homecoming.platform;

import java.io.IOException;
import java.util.List;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.ClassPathResource;

/**
 * Adds {@code homecoming-platform.yml} as the lowest-precedence configuration of every service: the shared
 * defaults (serdes, idempotence, read_committed, exactly-once, actuator). A service's own file, its profile,
 * the environment and the command line all override them. (A {@code spring.config.import} would do the
 * opposite: an imported file wins over the file that imports it.)
 */
public class PlatformDefaults implements EnvironmentPostProcessor, Ordered {

    static final String RESOURCE = "homecoming-platform.yml";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        if (environment.getPropertySources().contains(RESOURCE)) {
            return;
        }
        try {
            List<PropertySource<?>> sources = new YamlPropertySourceLoader().load(RESOURCE, new ClassPathResource(RESOURCE));
            sources.forEach(source -> environment.getPropertySources().addLast(source));
        } catch (IOException e) {
            throw new IllegalStateException("Cannot read " + RESOURCE, e);
        }
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }
}
