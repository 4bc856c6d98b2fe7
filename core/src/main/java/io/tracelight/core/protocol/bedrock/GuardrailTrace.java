package io.tracelight.core.protocol.bedrock;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.tracelight.core.model.OutputFacts;
import io.tracelight.core.protocol.Json;
import java.io.IOException;
import java.util.Locale;

/**
 * A Bedrock guardrail trace ({@code trace.guardrail} of Converse, {@code amazon-bedrock-trace.guardrail}
 * of InvokeModel): every policy entry that acted ({@code action} other than {@code NONE}) or
 * {@code detected}, to the safety flags. Content filters are named by type ({@code misconduct}),
 * denied topics {@code topic:<name>}, custom words {@code word}, managed word lists by type
 * ({@code profanity}), sensitive information {@code pii:<type>} and {@code regex:<name>},
 * contextual grounding {@code grounding:<type>}; the input's assessments are prefixed
 * {@code prompt:}. Converse names them {@code inputAssessment} and {@code outputAssessments}, the
 * InvokeModel trace {@code input} and {@code outputs}. Stateless.
 */
public final class GuardrailTrace {
  private GuardrailTrace() {}

  /** What the entries did: none acted, all that acted only masked ({@code ANONYMIZED}), or one blocked. */
  public static final int NONE = 0;
  public static final int MASKED = 1;
  public static final int BLOCKED = 2;

  /** The {@code guardrail} object, the parser at its start; returns {@link #NONE}, {@link #MASKED} or {@link #BLOCKED}. */
  public static int read(JsonParser p, OutputFacts facts) throws IOException {
    if (p.currentToken() != JsonToken.START_OBJECT) {
      p.skipChildren();
      return NONE;
    }
    int[] acted = {NONE};
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      p.nextToken();
      if (field.equals("inputAssessment") || field.equals("input")) {
        byGuardrail(p, "prompt:", facts, acted);
      } else if (field.equals("outputAssessments") || field.equals("outputs")) {
        byGuardrail(p, "", facts, acted);
      } else {
        p.skipChildren(); // modelOutput, actionReason, ...
      }
    }
    return acted[0];
  }

  /** A map of guardrail id to an assessment or a list of them, or a list of such maps. */
  private static void byGuardrail(JsonParser p, String prefix, OutputFacts facts, int[] acted) throws IOException {
    if (p.currentToken() == JsonToken.START_ARRAY) {
      while (p.nextToken() != JsonToken.END_ARRAY) {
        byGuardrail(p, prefix, facts, acted);
      }
      return;
    }
    if (p.currentToken() != JsonToken.START_OBJECT) {
      p.skipChildren();
      return;
    }
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      p.nextToken();
      if (p.currentToken() == JsonToken.START_ARRAY) {
        while (p.nextToken() != JsonToken.END_ARRAY) {
          assessment(p, prefix, facts, acted);
        }
      } else {
        assessment(p, prefix, facts, acted);
      }
    }
  }

  private static void assessment(JsonParser p, String prefix, OutputFacts facts, int[] acted) throws IOException {
    if (p.currentToken() != JsonToken.START_OBJECT) {
      p.skipChildren();
      return;
    }
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String policy = p.currentName();
      p.nextToken();
      if (p.currentToken() != JsonToken.START_OBJECT || policy.equals("invocationMetrics")) {
        p.skipChildren();
        continue;
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String list = p.currentName();
        p.nextToken();
        if (p.currentToken() != JsonToken.START_ARRAY) {
          p.skipChildren();
          continue;
        }
        while (p.nextToken() != JsonToken.END_ARRAY) {
          acted[0] = Math.max(acted[0], entry(p, prefix, policy, list, facts));
        }
      }
    }
  }

  private static int entry(JsonParser p, String prefix, String policy, String list, OutputFacts facts)
      throws IOException {
    if (p.currentToken() != JsonToken.START_OBJECT) {
      p.skipChildren();
      return NONE;
    }
    String type = null;
    String name = null;
    boolean acted = false;
    boolean masked = false;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      p.nextToken();
      switch (field) {
        case "type":
          type = Json.string(p);
          break;
        case "name":
          name = Json.string(p);
          break;
        case "action":
          String action = Json.string(p);
          acted |= action != null && !action.equals("NONE");
          masked |= "ANONYMIZED".equals(action);
          break;
        case "detected":
          acted |= Boolean.TRUE.equals(Json.bool(p));
          break;
        default:
          p.skipChildren();
      }
    }
    if (!acted) {
      return NONE;
    }
    String flag = flag(policy, list, type, name);
    if (flag != null) {
      facts.safetyFlag(prefix + flag);
    }
    return masked ? MASKED : BLOCKED;
  }

  private static String flag(String policy, String list, String type, String name) {
    String lowerType = type == null ? null : type.toLowerCase(Locale.ROOT);
    switch (policy) {
      case "contentPolicy":
        return lowerType;
      case "topicPolicy":
        return "topic:" + (name != null ? name : lowerType);
      case "wordPolicy":
        return list.equals("customWords") ? "word" : lowerType != null ? lowerType : "word";
      case "sensitiveInformationPolicy":
        return list.equals("regexes") ? (name != null ? "regex:" + name : "regex") : "pii:" + lowerType;
      case "contextualGroundingPolicy":
        return "grounding:" + lowerType;
      default:
        return policy;
    }
  }
}
