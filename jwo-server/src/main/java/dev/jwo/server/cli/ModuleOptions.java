package dev.jwo.server.cli;

import com.google.inject.Module;
import java.lang.reflect.InvocationTargetException;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * {@code --module CLASS}: a retailer's own Guice modules, loaded from the class path and installed after the SDK's
 * defaults, so that a store runs with its own payment provider, tracker or storage without a program of its own.
 */
final class ModuleOptions {
  @Option(names = "--module", paramLabel = "CLASS",
      description = "a Guice module class on the class path (public, with a public no-argument constructor) whose "
          + "bindings are added to the defaults; repeatable")
  List<String> classNames = new ArrayList<>();

  /** The named modules, instantiated. */
  List<Module> modules() {
    List<Module> modules = new ArrayList<>();
    for (String name : classNames) {
      modules.add(instantiate(name));
    }
    return modules;
  }

  private static Module instantiate(String name) {
    Class<?> type;
    try {
      type = Class.forName(name);
    } catch (ClassNotFoundException e) {
      throw new IllegalArgumentException("--module " + name + ": no such class on the class path", e);
    }
    if (!Module.class.isAssignableFrom(type)) {
      throw new IllegalArgumentException("--module " + name + ": not a Guice module (it does not implement "
          + Module.class.getName() + ")");
    }
    try {
      return (Module) type.getConstructor().newInstance();
    } catch (NoSuchMethodException | IllegalAccessException e) {
      throw new IllegalArgumentException("--module " + name + ": needs a public no-argument constructor", e);
    } catch (InstantiationException | InvocationTargetException e) {
      throw new IllegalArgumentException("--module " + name + ": its constructor failed: " + e.getCause(), e);
    }
  }
}
