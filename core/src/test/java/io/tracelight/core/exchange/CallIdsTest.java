package io.tracelight.core.exchange;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class CallIdsTest {
  @Test
  void anIdIsThirtyTwoHexDigitsAndParsesBack() {
    assertEquals("0000000000000001ffffffffffffffff", CallIds.hex(1, -1));
    assertArrayEquals(new long[] {1, -1}, CallIds.parse("0000000000000001ffffffffffffffff"));
    assertNull(CallIds.parse("not-an-id"));
    assertNull(CallIds.parse("0000000000000001fffffffffffffffg"));
    assertNull(CallIds.parse(null));
  }

  @Test
  void eachThreadSeesItsOwnLastCallUnderContention() throws Exception {
    int threads = 8;
    int callsEach = 20_000;
    Set<String> all = ConcurrentHashMap.newKeySet();
    List<Throwable> failures = new ArrayList<>();
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> started = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      Thread thread = new Thread(() -> {
        try {
          start.await();
          assertNull(CallIds.lastOnThisThread(), "a new thread has started no call");
          for (int i = 0; i < callsEach; i++) {
            long[] drawn = CallIds.draw();
            String id = CallIds.hex(drawn[0], drawn[1]);
            assertEquals(id, CallIds.lastOnThisThread(), "another thread's call never shows here");
            all.add(id);
          }
        } catch (Throwable e) {
          synchronized (failures) {
            failures.add(e);
          }
        }
      });
      thread.start();
      started.add(thread);
    }
    start.countDown();
    for (Thread thread : started) {
      thread.join();
    }
    assertEquals(List.of(), failures);
    assertEquals(threads * callsEach, all.size(), "no id drawn twice");
  }

  @Test
  void sessionScopesNestAndCloseInOrder() {
    assertNull(ApiSession.current());
    ApiSession outer = ApiSession.open("s-1", "u-1");
    ApiSession inner = ApiSession.open("s-2", null);
    assertEquals("s-2", ApiSession.current().sessionId);
    inner.close();
    inner.close(); // twice: nothing more
    assertEquals("s-1", ApiSession.current().sessionId);
    outer.close();
    assertNull(ApiSession.current());
  }
}
