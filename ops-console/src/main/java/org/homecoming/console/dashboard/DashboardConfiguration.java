package org.homecoming.console.dashboard;

import org.homecoming.console.operation.OperationPicture;
import org.homecoming.console.route.RouteProperties;
import org.homecoming.console.route.RouteSchematic;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class DashboardConfiguration {

    @Bean
    OperationPicture operationPicture() {
        return new OperationPicture();
    }

    @Bean
    RouteSchematic routeSchematic(RouteProperties route) {
        return new RouteSchematic(route);
    }
}
