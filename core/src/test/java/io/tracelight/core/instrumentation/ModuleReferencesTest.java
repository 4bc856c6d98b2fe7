package io.tracelight.core.instrumentation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tracelight.core.instrumentation.refs.RefsAdvice;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The version check: what a module's advice and helpers use of a library is read from their class
 * files (following helpers the advice names), and a loader without the library is told apart from
 * one with it, without loading anything.
 */
class ModuleReferencesTest {
  private static ModuleReferences references() {
    return new ModuleReferences(RefsAdvice.class.getPackageName() + ".", List.of(RefsAdvice.class.getName()),
        ModuleReferencesTest.class.getClassLoader());
  }

  private static List<String> names(List<ModuleReferences.Ref> refs) {
    List<String> names = new ArrayList<>();
    for (ModuleReferences.Ref r : refs) {
      names.add(r.toString());
    }
    return names;
  }

  @Test
  void aLoaderWithTheLibraryLacksNothingInheritedMembersIncluded() {
    // the helper calls AssertionFailedError.getMessage(), declared by Throwable: found through the
    // superclasses' class files
    assertEquals(List.of(), references().missingIn(ModuleReferencesTest.class.getClassLoader()));
  }

  @Test
  void aLoaderWithoutItLacksTheHelpersClassesAndMethodsButNotTheJdks() {
    List<String> missing = names(references().missingIn(ClassLoader.getPlatformClassLoader()));
    assertEquals(Set.of("org.junit.jupiter.api.Assertions.assertNotNull(Ljava/lang/Object;)V",
        "org.opentest4j.AssertionFailedError",
        "org.opentest4j.AssertionFailedError.getMessage()Ljava/lang/String;"), new HashSet<>(missing));
  }
}
