package org.homecoming.platform.holding;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;

/** Binds {@link HoldingSettings}; each service makes the {@link HeldRecords} its listeners need. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(HoldingSettings.class)
public class HoldingConfiguration {
}
