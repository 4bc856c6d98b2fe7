package io.tracelight.core.export;

import io.tracelight.core.model.AttributeKey;
import java.util.List;

/** Renders the attribute table of docs/schema.md from the declared keys; a test keeps the page in step. */
public final class SchemaDoc {
  private SchemaDoc() {}

  public static String attributeTable(List<AttributeKey<?>> keys) {
    StringBuilder b = new StringBuilder();
    b.append("| Key | Type | Unit | Set |\n");
    b.append("|---|---|---|---|\n");
    for (AttributeKey<?> k : keys) {
      b.append("| `").append(k.name).append("` | ").append(k.type.docName).append(" | ")
          .append(k.unit).append(" | ").append(k.set).append(" |\n");
    }
    return b.toString();
  }
}
