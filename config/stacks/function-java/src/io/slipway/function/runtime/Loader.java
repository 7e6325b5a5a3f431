package io.slipway.function.runtime;

import io.slipway.function.Handler;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Modifier;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;

/**
 * Finds the function's class {@code Handler} among its compiled classes and makes the one instance
 * the runtime calls. Every way it cannot be used is an {@link Unusable} whose message is the one
 * line a failed build shows.
 */
final class Loader {

  static final String INTERFACE = Handler.class.getName();

  /** Why the handler cannot be run, in one line. */
  static final class Unusable extends Exception {
    private static final long serialVersionUID = 1L;

    Unusable(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private Loader() {}

  /** The class {@code Handler} of {@code classes}, checked but not initialised. */
  static Class<? extends Handler> find(Path classes) throws Unusable {
    Class<?> type;
    try {
      ClassLoader loader =
          new URLClassLoader(new URL[] {classes.toUri().toURL()}, Loader.class.getClassLoader());
      type = Class.forName("Handler", false, loader);
    } catch (ClassNotFoundException | MalformedURLException | LinkageError e) {
      throw new Unusable(
          "Handler.java has no class Handler in the default package: declare public class"
              + " Handler implements "
              + INTERFACE
              + " in it, with no package line",
          e);
    }
    if (!Handler.class.isAssignableFrom(type)) {
      throw new Unusable(
          "the class Handler does not implement "
              + INTERFACE
              + ": declare it as public class Handler implements "
              + INTERFACE,
          null);
    }
    if (!Modifier.isPublic(type.getModifiers())
        || Modifier.isAbstract(type.getModifiers())
        || !hasPublicNoArgConstructor(type)) {
      throw new Unusable(
          "the class Handler must be public, not abstract, and have a public constructor without"
              + " arguments",
          null);
    }
    return type.asSubclass(Handler.class);
  }

  /** The instance of {@code classes}' Handler, made as the runtime makes it. */
  static Handler load(Path classes) throws Unusable {
    Class<? extends Handler> type = find(classes);
    try {
      return type.getConstructor().newInstance();
    } catch (InvocationTargetException | ExceptionInInitializerError e) {
      throw failed(e.getCause() == null ? e : e.getCause());
    } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
      throw failed(e);
    }
  }

  private static Unusable failed(Throwable cause) {
    String where = "";
    for (StackTraceElement frame : cause.getStackTrace()) {
      if ("Handler.java".equals(frame.getFileName()) && frame.getLineNumber() > 0) {
        where = " (line " + frame.getLineNumber() + ")";
        break;
      }
    }
    return new Unusable("Handler.java failed to load" + where + ": " + describe(cause), cause);
  }

  private static boolean hasPublicNoArgConstructor(Class<?> type) {
    for (Constructor<?> constructor : type.getConstructors()) {
      if (constructor.getParameterCount() == 0) {
        return true;
      }
    }
    return false;
  }

  /** "class: message" on one line, never a stack. */
  static String describe(Throwable e) {
    String message = e.getMessage();
    if (message == null || message.isBlank()) {
      return e.getClass().getName();
    }
    return e.getClass().getName() + ": " + message.lines().findFirst().orElse("");
  }
}
