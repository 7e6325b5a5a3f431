package io.slipway.build.git;

import io.slipway.build.BuildProperties;
import io.slipway.build.queue.BuildQueue;
import io.slipway.build.tenant.TenantClient;
import io.slipway.build.usage.StorageUsage;
import org.eclipse.jgit.http.server.GitServlet;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Mounts JGit's smart HTTP server at {@code /git/*}, behind {@link GitAccessFilter}. */
@Configuration(proxyBeanMethods = false)
class GitConfig {

  @Bean
  ServletRegistrationBean<GitServlet> gitServlet(
      BuildProperties properties, BuildQueue queue, TenantClient tenants, StorageUsage usage) {
    GitServlet servlet = new GitServlet();
    servlet.setRepositoryResolver(
        new TenantRepositoryResolver(properties.dataDir(), properties.deployBranch()));
    servlet.setReceivePackFactory(new GitReceivePackFactory(properties, queue, tenants, usage));
    ServletRegistrationBean<GitServlet> registration =
        new ServletRegistrationBean<>(servlet, "/git/*");
    registration.setName("git");
    registration.setLoadOnStartup(1);
    return registration;
  }

  @Bean
  FilterRegistrationBean<GitAccessFilter> gitAccessFilter(
      TenantClient tenants, BuildProperties properties) {
    FilterRegistrationBean<GitAccessFilter> registration =
        new FilterRegistrationBean<>(
            new GitAccessFilter(tenants, properties.maxPushSize().toBytes()));
    registration.addUrlPatterns("/git/*");
    return registration;
  }
}
