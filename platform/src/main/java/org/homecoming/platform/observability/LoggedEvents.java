package org.homecoming.platform.observability;

import java.util.IdentityHashMap;
import java.util.Map;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggerContextListener;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * Counts the log events each service writes, by level, as {@code logback.events} (the name and tag Micrometer's own
 * binder uses, so an "errors per minute" panel reads the same), from an appender on the root logger.
 *
 * <p>Why not Micrometer's {@code LogbackMetrics}: it counts in a logback turbo filter, and a turbo filter is consulted
 * on every {@code isTraceEnabled()} or {@code isDebugEnabled()} call, also for levels that are off. Kafka's producer
 * asks {@code isTraceEnabled()} for every record it sends, so in transport's intake hop the filter took 3-5% of the
 * stream thread (benchmarks/README.md). An appender is called only for events that are written, which are the events
 * the turbo filter counted. Boot's binder is excluded in {@code homecoming-platform.yml}.
 */
public final class LoggedEvents extends UnsynchronizedAppenderBase<ILoggingEvent> implements MeterBinder, LoggerContextListener, AutoCloseable {

    static final String NAME = "logback.events";

    private final LoggerContext context;
    /** Written once in {@link #bindTo} before the appender is attached, then only read. */
    private volatile Map<Level, Counter> counters = Map.of();

    public LoggedEvents(LoggerContext context) {
        this.context = context;
        setContext(context);
        setName("homecoming-logged-events");
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        // Level is not an enum but a set of constants, so the map is keyed by identity
        Map<Level, Counter> byLevel = new IdentityHashMap<>();
        for (Level level : new Level[] {Level.ERROR, Level.WARN, Level.INFO, Level.DEBUG, Level.TRACE}) {
            byLevel.put(level, Counter.builder(NAME).tag("level", level.levelStr.toLowerCase())
                    .description("Number of log events written at this level").baseUnit("events").register(registry));
        }
        counters = byLevel;
        start();
        attach();
        // Spring Boot resets the logger context when it reconfigures logging; the appender goes with the reset
        context.addListener(this);
    }

    @Override
    protected void append(ILoggingEvent event) {
        Counter counter = counters.get(event.getLevel());
        if (counter != null) {
            counter.increment();
        }
    }

    private void attach() {
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        if (!root.isAttached(this)) {
            root.addAppender(this);
        }
    }

    @Override
    public void close() {
        context.removeListener(this);
        context.getLogger(Logger.ROOT_LOGGER_NAME).detachAppender(this);
        stop();
    }

    /** A reset detaches and stops every appender: this one starts again and goes back on the root logger. */
    @Override
    public void onReset(LoggerContext reset) {
        start();
        attach();
    }

    @Override
    public boolean isResetResistant() {
        return true;
    }

    @Override
    public void onStart(LoggerContext started) {
    }

    @Override
    public void onStop(LoggerContext stopped) {
    }

    @Override
    public void onLevelChange(Logger logger, Level level) {
    }
}
