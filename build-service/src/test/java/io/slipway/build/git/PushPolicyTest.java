package io.slipway.build.git;

import static org.assertj.core.api.Assertions.assertThat;

import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.transport.ReceiveCommand;
import org.junit.jupiter.api.Test;

class PushPolicyTest {

  private static final ObjectId A = ObjectId.fromString("a".repeat(40));
  private static final ObjectId B = ObjectId.fromString("b".repeat(40));
  private final PushPolicy policy = new PushPolicy("refs/heads/main");

  private ReceiveCommand checked(ObjectId from, ObjectId to, String ref, ReceiveCommand.Type type) {
    ReceiveCommand command = new ReceiveCommand(from, to, ref, type);
    policy.check(command);
    return command;
  }

  @Test
  void fastForwardsAndNewBranchesPass() {
    assertThat(checked(A, B, "refs/heads/main", ReceiveCommand.Type.UPDATE).getResult())
        .isEqualTo(ReceiveCommand.Result.NOT_ATTEMPTED);
    assertThat(
            checked(ObjectId.zeroId(), B, "refs/heads/feature/x", ReceiveCommand.Type.CREATE)
                .getResult())
        .isEqualTo(ReceiveCommand.Result.NOT_ATTEMPTED);
    assertThat(checked(A, B, "refs/tags/v1.0", ReceiveCommand.Type.UPDATE).getResult())
        .isEqualTo(ReceiveCommand.Result.NOT_ATTEMPTED);
  }

  @Test
  void theDeployBranchIsProtected() {
    ReceiveCommand force =
        checked(A, B, "refs/heads/main", ReceiveCommand.Type.UPDATE_NONFASTFORWARD);
    assertThat(force.getResult()).isEqualTo(ReceiveCommand.Result.REJECTED_OTHER_REASON);
    assertThat(force.getMessage()).isEqualTo("force-push to the deploy branch main is not allowed");
    ReceiveCommand delete =
        checked(A, ObjectId.zeroId(), "refs/heads/main", ReceiveCommand.Type.DELETE);
    assertThat(delete.getMessage()).isEqualTo("the deploy branch main cannot be deleted");
    assertThat(
            checked(A, B, "refs/heads/other", ReceiveCommand.Type.UPDATE_NONFASTFORWARD)
                .getResult())
        .isEqualTo(ReceiveCommand.Result.NOT_ATTEMPTED);
  }

  @Test
  void unsafeRefNamesAreRefused() {
    for (String ref :
        new String[] {
          "refs/heads/-x", "refs/meta/config", "refs/heads/a..b", "refs/heads/x.lock",
          "refs/heads/a b", "refs/heads/ü", "HEAD", "refs/heads/a//b"
        }) {
      assertThat(checked(ObjectId.zeroId(), B, ref, ReceiveCommand.Type.CREATE).getResult())
          .as(ref)
          .isEqualTo(ReceiveCommand.Result.REJECTED_OTHER_REASON);
    }
  }
}
