package io.slipway.build.worker;

/**
 * A source stack that builds a function ({@link FunctionRuntime}): its image's command is the
 * function runtime, so a Procfile's commands have nothing to start.
 */
interface FunctionStack extends SourceStack {

  @Override
  default boolean runsProcfile() {
    return false;
  }

  @Override
  default String server() {
    return "runs the handler with Slipway's function runtime";
  }
}
