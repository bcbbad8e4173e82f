package org.homecoming.platform.web;

import java.util.Map;

import org.apache.catalina.core.StandardHost;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.boot.tomcat.TomcatContextCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;
import org.springframework.util.unit.DataSize;
import tools.jackson.core.JsonParser;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.deser.jdk.StringDeserializer;
import tools.jackson.databind.module.SimpleModule;

/**
 * What every service refuses at its REST door, the same everywhere: bodies over a size limit (413), JSON fields
 * the form does not have, NUL characters in any JSON string, and error answers that are not problem+json. Every
 * service gets it through the platform's auto-configuration; a web slice test imports it.
 *
 * <p>Limits: {@code homecoming.web.max-body-size} (256KB unless set) for every endpoint, and
 * {@code homecoming.web.larger-bodies} for the endpoints that take long lists, e.g.
 * {@code "[/api/v1/rounds/*}{@code /lists]": 8MB}.
 */
@Configuration(proxyBeanMethods = false)
@Import({ProblemResponses.class, ProblemInstance.class, ProblemErrorPage.class, BodyValueProblems.Check.class})
public class WebInputRules {

    static final DataSize DEFAULT_LIMIT = DataSize.ofKilobytes(256);

    @Bean
    FilterRegistrationBean<RequestBodyLimit> requestBodyLimit(Environment environment) {
        Binder binder = Binder.get(environment);
        DataSize limit = binder.bind("homecoming.web.max-body-size", DataSize.class).orElse(DEFAULT_LIMIT);
        Map<String, DataSize> larger = binder.bind("homecoming.web.larger-bodies", Bindable.mapOf(String.class, DataSize.class))
                .orElse(Map.of());
        FilterRegistrationBean<RequestBodyLimit> registration = new FilterRegistrationBean<>(new RequestBodyLimit(limit, larger));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
        return registration;
    }

    /**
     * Unknown fields are refused: a typo ({@code birthdate}) would otherwise drop a value without a word. And every
     * value of the wrong type and every unknown field of a request body is named in one answer (see
     * {@link BodyValueProblems}).
     */
    @Bean
    JsonMapperBuilderCustomizer strictRequestBodies() {
        SimpleModule noNul = new SimpleModule("homecoming-no-nul");
        noNul.addDeserializer(String.class, new NulRefusingStrings());
        return builder -> builder.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).addModule(noNul)
                .addHandler(new WrongTypedValues());
    }

    @Bean
    FilterRegistrationBean<BodyValueProblems.Reset> bodyValueProblemsReset() {
        FilterRegistrationBean<BodyValueProblems.Reset> registration = new FilterRegistrationBean<>(new BodyValueProblems.Reset());
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 11);
        return registration;
    }

    /** Tomcat's own error pages (bad path characters, over-long headers) as problem+json. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.apache.catalina.core.StandardHost")
    static class TomcatErrors {

        @Bean
        TomcatContextCustomizer problemReportValve() {
            return context -> {
                if (context.getParent() instanceof StandardHost host) {
                    host.setErrorReportValveClass(ProblemReportValve.class.getName());
                }
            };
        }
    }

    /** A NUL in any string of a JSON body is refused: no id, name or text legitimately holds one. */
    static final class NulRefusingStrings extends StringDeserializer {

        @Override
        public String deserialize(JsonParser parser, DeserializationContext context) {
            String value = super.deserialize(parser, context);
            if (value != null && value.indexOf('\u0000') >= 0) {
                if (BodyValueProblems.gathering()) {
                    // named with the body's other problems
                    BodyValueProblems.note(Violation.of(WrongTypedValues.path(parser), "contains a NUL character"));
                    return null;
                }
                throw context.weirdStringException(value.replace('\u0000', ' '), String.class, "contains a NUL character");
            }
            return value;
        }
    }
}
