package io.slipway.runtime.driver;

import static org.assertj.core.api.Assertions.assertThat;

import io.slipway.runtime.model.AppRef;
import io.slipway.runtime.model.AppSpec;
import io.slipway.runtime.model.Specs;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The {@link RuntimeDriver} contract, which every driver's test class extends: idempotent apply and
 * remove, revisions side by side, scaling, finding again what runs, and retention that never
 * removes an image a revision runs or a name outside the tenant's builds.
 */
public abstract class RuntimeDriverContract {

  private final List<AppRef> used = new ArrayList<>();

  /** The driver under test; the same instance for the whole test. */
  protected abstract RuntimeDriver driver();

  /** A second driver on the same runtime, as a restarted bridge would have. */
  protected abstract RuntimeDriver restartedDriver();

  /** An image the runtime can run, serving HTTP on 8080 at {@code /}. */
  protected abstract String image();

  /** The names of every object the runtime holds for the app, read behind the driver's back. */
  protected abstract List<String> runtimeObjects(AppRef ref);

  /** Removes whatever else a test left (networks, namespaces). */
  protected void cleanUp(AppRef ref) {}

  protected AppRef newApp() {
    String suffix = Integer.toString(ThreadLocalRandom.current().nextInt(1 << 20, 1 << 24), 36);
    AppRef ref = Specs.ref("t" + suffix, "p", "web");
    used.add(ref);
    return ref;
  }

  protected AppSpec spec(AppRef ref, int revision, int replicas) {
    return Specs.web(ref, revision, image(), replicas);
  }

  @AfterEach
  void removeWhatTheTestMade() {
    for (AppRef ref : used) {
      driver().removeApp(ref);
      cleanUp(ref);
    }
  }

  @Test
  void applyingTwiceCreatesNothingTwice() {
    AppRef ref = newApp();
    driver().apply(spec(ref, 1, 2));
    List<String> first = runtimeObjects(ref);
    driver().apply(spec(ref, 1, 2));

    assertThat(runtimeObjects(ref))
        .containsExactlyInAnyOrderElementsOf(first)
        .doesNotHaveDuplicates();
    assertThat(driver().observe(ref))
        .singleElement()
        .satisfies(
            state -> {
              assertThat(state.revision()).isEqualTo(1);
              assertThat(state.replicas()).isEqualTo(2);
            });
  }

  @Test
  void applyNewStartsEveryReplicaAndMakesNothingTwiceWhenSomeAlreadyRun() {
    AppRef ref = newApp();
    driver().applyNew(spec(ref, 1, 2));
    List<String> first = runtimeObjects(ref);
    // a revision started before (a retried rollout): the same outcome as apply
    driver().apply(spec(ref, 1, 1));
    driver().applyNew(spec(ref, 1, 2));

    assertThat(runtimeObjects(ref))
        .containsExactlyInAnyOrderElementsOf(first)
        .doesNotHaveDuplicates();
    assertThat(driver().observe(ref))
        .singleElement()
        .satisfies(state -> assertThat(state.replicas()).isEqualTo(2));
  }

  @Test
  void scalesARevisionUpAndDown() {
    AppRef ref = newApp();
    driver().apply(spec(ref, 1, 2));
    driver().apply(spec(ref, 1, 1));
    assertThat(driver().observe(ref))
        .singleElement()
        .extracting(RevisionState::replicas)
        .isEqualTo(1);
    driver().apply(spec(ref, 1, 3));
    assertThat(driver().observe(ref))
        .singleElement()
        .extracting(RevisionState::replicas)
        .isEqualTo(3);
  }

  @Test
  void revisionsRunSideBySideAndGoOneByOne() {
    AppRef ref = newApp();
    driver().apply(spec(ref, 1, 1));
    driver().apply(spec(ref, 2, 1));
    assertThat(driver().observe(ref)).extracting(RevisionState::revision).containsExactly(1, 2);
    // one revision looked at alone is what the whole app's observation says of it
    assertThat(driver().observe(ref, 2)).contains(driver().observe(ref).get(1));

    driver().remove(ref, 1);
    driver().remove(ref, 1);
    assertThat(driver().observe(ref)).extracting(RevisionState::revision).containsExactly(2);
    assertThat(driver().observe(ref, 1)).isEmpty();
  }

  @Test
  void removingAnAppLeavesNothingOfIt() {
    AppRef ref = newApp();
    AppRef neighbour = Specs.ref(ref.tenant(), ref.project(), "other");
    used.add(neighbour);
    driver().apply(spec(ref, 1, 1));
    driver().apply(spec(ref, 2, 1));
    driver().apply(spec(neighbour, 1, 1));

    driver().removeApp(ref);
    driver().removeApp(ref);

    assertThat(driver().observe(ref)).isEmpty();
    assertThat(runtimeObjects(ref)).isEmpty();
    assertThat(driver().apps()).doesNotContain(ref).contains(neighbour);
    assertThat(driver().observe(neighbour)).hasSize(1);
  }

  /**
   * Issue 17: tenant {@code acme}/project {@code web-prod} and tenant {@code acme-web}/project
   * {@code prod} once shared a network or namespace and their containers or objects; app {@code
   * web} of project {@code p} in tenant {@code prod-acme} and app {@code web-p} of project {@code
   * prod} in tenant {@code acme} once shared a host. Deployed at once, each runs its own.
   */
  @Test
  void appsWhoseNamesOnceCollidedShareNothing() {
    String acme = "a" + Integer.toString(ThreadLocalRandom.current().nextInt(1 << 20, 1 << 24), 36);
    List<AppRef> apps =
        List.of(
            Specs.ref(acme, "web-prod", "api"),
            Specs.ref(acme + "-web", "prod", "api"),
            Specs.ref("prod-" + acme, "p", "web"),
            Specs.ref(acme, "prod", "web-p"));
    used.addAll(apps);
    apps.forEach(ref -> driver().apply(spec(ref, 1, 1)));

    for (AppRef ref : apps) {
      assertThat(driver().observe(ref))
          .as("what runs of %s", ref)
          .singleElement()
          .extracting(RevisionState::replicas)
          .isEqualTo(1);
    }
    List<String> objects = apps.stream().flatMap(ref -> runtimeObjects(ref).stream()).toList();
    assertThat(objects).doesNotHaveDuplicates();
    assertThat(apps).allSatisfy(ref -> assertThat(runtimeObjects(ref)).isNotEmpty());
    assertThat(apps.stream().map(AppRef::namespace)).doesNotHaveDuplicates();
    assertThat(driver().apps()).containsAll(apps);

    driver().removeApp(apps.get(0));
    assertThat(driver().observe(apps.get(1))).hasSize(1);
    assertThat(driver().apps()).doesNotContain(apps.get(0)).contains(apps.get(1));
  }

  @Test
  void removingATenantOrAProjectLeavesNothingOfItAndSparesTheOthers() {
    AppRef ref = newApp();
    AppRef sameTenant = Specs.ref(ref.tenant(), "q", "web");
    AppRef stranger = newApp();
    used.add(sameTenant);
    driver().apply(spec(ref, 1, 1));
    driver().apply(spec(sameTenant, 1, 1));
    driver().apply(spec(stranger, 1, 1));

    driver().removeTenant(ref.tenantId());
    driver().removeTenant(ref.tenantId());
    assertThat(driver().apps()).doesNotContain(ref, sameTenant).contains(stranger);
    assertThat(runtimeObjects(ref)).isEmpty();
    assertThat(runtimeObjects(sameTenant)).isEmpty();
    assertThat(driver().observe(stranger)).hasSize(1);

    driver().removeProject(stranger.projectId());
    driver().removeProject(stranger.projectId());
    assertThat(driver().apps()).doesNotContain(stranger);
    assertThat(runtimeObjects(stranger)).isEmpty();
  }

  @Test
  void aRestartedDriverFindsWhatRuns() {
    AppRef ref = newApp();
    driver().apply(spec(ref, 1, 1));
    RuntimeDriver restarted = restartedDriver();
    assertThat(restarted.apps()).contains(ref);
    assertThat(restarted.observe(ref)).extracting(RevisionState::revision).containsExactly(1);
    restarted.apply(spec(ref, 1, 1));
    assertThat(runtimeObjects(ref)).doesNotHaveDuplicates();
    assertThat(driver().observe(ref))
        .singleElement()
        .extracting(RevisionState::replicas)
        .isEqualTo(1);
  }

  @Test
  void retentionLeavesTheImageOfWhatRunsAndNamesOutsideTheTenantsBuilds() {
    AppRef ref = newApp();
    driver().apply(spec(ref, 1, 1));
    RetiredImage notTheTenants =
        new RetiredImage(ref, image(), "localhost/builds/" + ref.tenantId() + "/");

    assertThat(driver().removeImage(notTheTenants)).isNotEqualTo(RetiredImage.Removal.REMOVED);
    assertThat(driver().removeImage(notTheTenants)).isNotEqualTo(RetiredImage.Removal.REMOVED);
    driver().apply(spec(ref, 1, 1));
    assertThat(driver().observe(ref))
        .singleElement()
        .extracting(RevisionState::replicas)
        .isEqualTo(1);
  }
}
