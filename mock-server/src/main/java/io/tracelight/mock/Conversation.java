package io.tracelight.mock;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What the answer depends on, read from a request in any provider's form: how many messages
 * (a system prompt counts as one, so one conversation gets one answer on every provider), how
 * many characters of text, and the first tool offered.
 */
final class Conversation {
  int messages;
  long chars;
  /** The last message carries a tool's result: a mock-tools model then answers in text, ending the loop. */
  boolean toolResultLast;
  String toolName;
  JsonNode toolSchema;

  /** Adds one message whose content is a string, an array of parts or blocks, or anything else. */
  Conversation message(JsonNode content) {
    messages++;
    chars += textLength(content);
    return this;
  }

  /** Adds a system prompt when there is one (a string or blocks). */
  Conversation system(JsonNode content) {
    if (content != null && !content.isMissingNode() && !content.isNull()
        && !(content.isTextual() && content.asText().isEmpty()) && !(content.isContainerNode() && content.size() == 0)) {
      message(content);
    }
    return this;
  }

  /** Keeps the first tool offered: the one a mock-tools model calls. */
  Conversation tool(String name, JsonNode schema) {
    if (toolName == null && name != null && !name.isEmpty()) {
      toolName = name;
      toolSchema = schema;
    }
    return this;
  }

  long promptTokens() {
    return Answers.promptTokens(chars);
  }

  /** Characters of text in a content value: strings, and the text of parts, blocks and nested contents. */
  static long textLength(JsonNode content) {
    if (content == null) {
      return 0;
    }
    if (content.isTextual()) {
      return content.asText().length();
    }
    long n = 0;
    if (content.isArray()) {
      for (JsonNode part : content) {
        n += textLength(part);
      }
    } else if (content.isObject()) {
      for (String field : new String[] {"text", "content", "parts", "output"}) {
        n += textLength(content.get(field));
      }
    }
    return n;
  }
}
