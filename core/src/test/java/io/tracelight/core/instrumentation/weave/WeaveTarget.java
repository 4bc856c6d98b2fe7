package io.tracelight.core.instrumentation.weave;

/** Methods shaped like the ones modules weave: branches, loops, a caught exception, several returns. */
public class WeaveTarget {
  protected int code = 7;
  private final String name;

  public WeaveTarget(String name) {
    this.name = name.trim();
  }

  public Object call(String text, long step, int times) {
    if (text == null) {
      return "none";
    }
    long sum = 0;
    for (int i = 0; i < times; i++) {
      sum += step;
    }
    try {
      if (sum > 100) {
        throw new IllegalStateException("big");
      }
    } catch (IllegalStateException e) {
      return "caught " + sum;
    }
    return text + sum;
  }

  public String fail(String why) {
    if (why.isEmpty()) {
      return "fine";
    }
    throw new IllegalArgumentException(why);
  }

  public static int twice(int x) {
    return x * 2;
  }

  public String echo(String s) {
    return name + ":" + s;
  }

  public void nothing(double d) {
    if (d > 0) {
      code++;
    }
  }
}
