package io.slipway.runtime.deploy;

import io.slipway.kit.secret.SecretBox;
import io.slipway.runtime.model.AppRef;
import io.slipway.runtime.vm.VmSpec;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The VMs apps are (issue 23), in PostgreSQL: each one's spec, whether it should run and the
 * compute reservation it holds while it does. The user-data is sealed under the app, as its secrets
 * are.
 */
@Repository
class VmStore {

  private final JdbcClient jdbc;
  private final SecretBox box;

  VmStore(JdbcClient jdbc, SecretBox box) {
    this.jdbc = jdbc;
    this.box = box;
  }

  /**
   * A stored VM.
   *
   * @param spec what it runs
   * @param httpPort the port its app's hosts route to; null: none
   * @param running whether it should run (stopped: false)
   * @param generation how many times it was started, naming each start's reservation
   * @param reservation the key of the compute it holds; null when it holds none
   * @param incarnation random, made when the VM was: its reservations' keys never repeat those of
   *     an earlier VM of the same app
   */
  record StoredVm(
      VmSpec spec,
      Integer httpPort,
      boolean running,
      int generation,
      String reservation,
      String incarnation) {}

  Optional<StoredVm> find(AppRef ref) {
    return jdbc.sql(
            "select vcpus, memory_mib, image, user_data, ports, data_disk_mib, http_port, running,"
                + " generation, reservation, incarnation"
                + " from vm where tenant = ? and project = ? and app = ? and app_id = ?")
        .params(ref.tenant(), ref.project(), ref.app(), ref.appId())
        .query((rs, row) -> stored(ref, rs))
        .optional();
  }

  /** Whether the app is a VM. */
  boolean exists(AppRef ref) {
    return jdbc.sql("select count(*) from vm where app_id = ?")
            .param(ref.appId())
            .query(Integer.class)
            .single()
        > 0;
  }

  /** Records a new VM, stopped until started; its app's row must exist. */
  void create(VmDefinition vm) {
    VmSpec spec = vm.spec();
    AppRef ref = spec.ref();
    jdbc.sql(
            "insert into vm (tenant, project, app, app_id, vcpus, memory_mib, image, user_data,"
                + " ports, data_disk_mib, http_port, running, incarnation)"
                + " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, false, ?)")
        .params(
            ref.tenant(),
            ref.project(),
            ref.app(),
            ref.appId(),
            spec.vcpus(),
            spec.memoryMib(),
            spec.image(),
            spec.userData().isEmpty() ? null : box.seal(spec.userData(), ref.toString()),
            spec.ports().toArray(Integer[]::new),
            spec.dataDiskMib(),
            vm.httpPort(),
            UUID.randomUUID().toString().substring(0, 8))
        .update();
  }

  /** Marks the VM to run, holding {@code reservation} (null: none). */
  void running(AppRef ref, String reservation) {
    jdbc.sql("update vm set running = true, reservation = ? where app_id = ?")
        .params(reservation, ref.appId())
        .update();
  }

  /** Marks the VM stopped; the reservation it holds is kept until {@link #released}. */
  void stopped(AppRef ref) {
    jdbc.sql("update vm set running = false where app_id = ?").param(ref.appId()).update();
  }

  /** The VM holds no reservation any more. */
  void released(AppRef ref) {
    jdbc.sql("update vm set reservation = null where app_id = ?").param(ref.appId()).update();
  }

  /** The next start's generation, counted. */
  int nextGeneration(AppRef ref) {
    return jdbc.sql(
            "update vm set generation = generation + 1 where app_id = ? returning generation")
        .param(ref.appId())
        .query(Integer.class)
        .single();
  }

  /** The VMs that should run, by their apps. */
  List<AppRef> running() {
    return jdbc.sql(
            "select a.tenant, a.project, a.app, a.tenant_id, a.project_id, a.app_id, a.host_label"
                + " from vm v join app a on (a.tenant, a.project, a.app) = (v.tenant, v.project,"
                + " v.app) where v.running order by a.app_id")
        .query((rs, row) -> DeploymentStore.ref(rs))
        .list();
  }

  /** Every VM, running or not, by its app. */
  List<AppRef> all() {
    return jdbc.sql(
            "select a.tenant, a.project, a.app, a.tenant_id, a.project_id, a.app_id, a.host_label"
                + " from vm v join app a on (a.tenant, a.project, a.app) = (v.tenant, v.project,"
                + " v.app) order by a.app_id")
        .query((rs, row) -> DeploymentStore.ref(rs))
        .list();
  }

  void delete(AppRef ref) {
    jdbc.sql("delete from vm where app_id = ?").param(ref.appId()).update();
  }

  private StoredVm stored(AppRef ref, ResultSet rs) throws SQLException {
    String sealed = rs.getString("user_data");
    Array ports = rs.getArray("ports");
    List<Integer> exposed = Arrays.asList((Integer[]) ports.getArray());
    VmSpec spec =
        new VmSpec(
            ref,
            rs.getInt("vcpus"),
            rs.getInt("memory_mib"),
            rs.getString("image"),
            sealed == null ? "" : box.open(sealed, ref.toString()),
            exposed,
            rs.getInt("data_disk_mib"));
    return new StoredVm(
        spec,
        rs.getObject("http_port", Integer.class),
        rs.getBoolean("running"),
        rs.getInt("generation"),
        rs.getString("reservation"),
        rs.getString("incarnation"));
  }
}
