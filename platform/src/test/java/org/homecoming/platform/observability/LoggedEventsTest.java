package org.homecoming.platform.observability;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LoggedEventsTest {

    private LoggerContext context;
    private MeterRegistry registry;
    private LoggedEvents events;
    private Logger logger;

    @BeforeEach
    void freshLoggerContext() {
        context = new LoggerContext();
        context.start();
        registry = new SimpleMeterRegistry();
        events = new LoggedEvents(context);
        events.bindTo(registry);
        logger = context.getLogger("org.homecoming.some.service");
        logger.setLevel(Level.INFO);
    }

    @Test
    void shouldCountEveryEventWrittenByItsLevel() {
        logger.warn("a warning");
        logger.warn("another warning");
        logger.error("an error");
        logger.info("a note");

        assertThat(count("warn")).isEqualTo(2);
        assertThat(count("error")).isEqualTo(1);
        assertThat(count("info")).isEqualTo(1);
    }

    @Test
    void shouldNotCountWhatTheLoggersLevelLeavesOut() {
        logger.debug("not written");
        logger.trace("not written either");

        assertThat(count("debug")).isZero();
        assertThat(count("trace")).isZero();
    }

    @Test
    void shouldCountWithoutATurboFilterSoThatLevelChecksStayCheap() {
        assertThat(context.getTurboFilterList()).isEmpty();
    }

    @Test
    void shouldKeepCountingAfterTheLoggingIsReconfigured() {
        context.reset();
        logger = context.getLogger("org.homecoming.some.service");

        logger.error("after the reset");

        assertThat(count("error")).isEqualTo(1);
    }

    @Test
    void shouldStopCountingOnceClosed() {
        events.close();

        logger.error("after the close");

        assertThat(count("error")).isZero();
        assertThat(context.getLogger(Logger.ROOT_LOGGER_NAME).iteratorForAppenders().hasNext()).isFalse();
    }

    private double count(String level) {
        return registry.get(LoggedEvents.NAME).tag("level", level).counter().count();
    }
}
