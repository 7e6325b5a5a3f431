package io.slipway.tenant;

import static org.assertj.core.api.Assertions.assertThat;

import io.slipway.testing.TestKeycloak;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The realm file in the repository, imported into the test run's Keycloak as a copy: no client of
 * the Slipway realm hands out tokens for a user's password (users sign in on the login page only,
 * where brute-force protection and any second factor apply). The master realm, used by the tests'
 * own admin calls, is another realm and not affected.
 */
class RealmFileIT {

  @Test
  void noClientOfTheRealmAcceptsThePasswordGrant() throws Exception {
    // the values ./slipway gives the file's placeholders when Keycloak imports it
    String realm =
        Files.readString(Path.of("../keycloak/slipway-realm.json"))
            .replace("${SLIPWAY_PORTAL_URL}", "http://127.0.0.1:18088")
            .replaceAll("\\$\\{SLIPWAY_[A-Z_]+}", "not-a-secret");
    for (String client : new String[] {"admin-cli"}) {
      int status = TestKeycloak.passwordGrantStatusInCopyOf(realm, client);
      assertThat(status).as(client).isIn(400, 401);
    }
  }
}
