package io.slipway.build.git;

import java.util.Collection;
import java.util.regex.Pattern;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.transport.PreReceiveHook;
import org.eclipse.jgit.transport.ReceiveCommand;
import org.eclipse.jgit.transport.ReceivePack;

/**
 * The pre-receive policy: only branches and tags with plain names, and the deploy branch can be
 * neither deleted nor force-pushed. Each refused ref is reported to the pusher with the reason.
 */
final class PushPolicy implements PreReceiveHook {

  private static final Pattern SAFE_REF =
      Pattern.compile(
          "refs/(heads|tags)/[A-Za-z0-9_][A-Za-z0-9._-]*(/[A-Za-z0-9_][A-Za-z0-9._-]*)*");

  private final String deployRef;

  PushPolicy(String deployRef) {
    this.deployRef = deployRef;
  }

  @Override
  public void onPreReceive(ReceivePack pack, Collection<ReceiveCommand> commands) {
    commands.forEach(this::check);
  }

  void check(ReceiveCommand command) {
    if (command.getResult() != ReceiveCommand.Result.NOT_ATTEMPTED) {
      return;
    }
    String name = command.getRefName();
    String branch = name.substring(name.lastIndexOf('/') + 1);
    if (!SAFE_REF.matcher(name).matches()
        || !Repository.isValidRefName(name)
        || name.contains("..")
        || name.endsWith(".lock")) {
      command.setResult(
          ReceiveCommand.Result.REJECTED_OTHER_REASON,
          "ref name not allowed: push branches or tags named with letters, digits, '.', '_', '-'"
              + " and '/'");
    } else if (name.equals(deployRef) && command.getType() == ReceiveCommand.Type.DELETE) {
      command.setResult(
          ReceiveCommand.Result.REJECTED_OTHER_REASON,
          "the deploy branch " + deployBranch() + " cannot be deleted");
    } else if (name.equals(deployRef)
        && command.getType() == ReceiveCommand.Type.UPDATE_NONFASTFORWARD) {
      command.setResult(
          ReceiveCommand.Result.REJECTED_OTHER_REASON,
          "force-push to the deploy branch " + deployBranch() + " is not allowed");
    } else if (branch.isEmpty()) {
      command.setResult(ReceiveCommand.Result.REJECTED_OTHER_REASON, "ref name not allowed");
    }
  }

  private String deployBranch() {
    return deployRef.substring("refs/heads/".length());
  }
}
