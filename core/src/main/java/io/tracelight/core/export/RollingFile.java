package io.tracelight.core.export;

import io.tracelight.core.Log;
import java.io.BufferedOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * An append-only JSONL file that rotates between records, by size and by (UTC) day, and is safe
 * with several JVMs writing to one directory. The first JVM to lock {@code <base>.jsonl.lock}
 * writes {@code <base>.jsonl}; any other writes {@code <base>-<pid>-<id>.jsonl}, {@code <id>} six
 * random hex digits (containers sharing a volume often share a pid). Rotation closes the active
 * file and renames it to {@code <base>-<yyyy-MM-dd>-<pid>-<id>-<n>.jsonl}, a name no other writer
 * can take, so no record is split or lost and no writer renames another's file. The retention
 * sweep deletes rotated files (closed by their writer), oldest first, and other writers' files
 * that nobody has written to for longer than the maximum age.
 * One thread at a time (the pipeline thread, or the shutdown hook after it stopped).
 */
public final class RollingFile {
  /** How large and how old rotated files may grow before the oldest go; 0 for no limit. */
  public static final class Retention {
    final long maxAgeMillis;
    final long maxBytes;

    public Retention(long maxAgeMillis, long maxBytes) {
      this.maxAgeMillis = maxAgeMillis;
      this.maxBytes = maxBytes;
    }

    public static Retention none() {
      return new Retention(0, 0);
    }
  }

  private final Path dir;
  private final String base;
  private final long maxBytes;
  private final boolean daily;
  private final Retention retention;
  /** Files readable and writable by their owner only (rw-------), where the file system has POSIX permissions. */
  private final boolean ownerOnly;
  private final long pid = io.tracelight.core.ProcessId.current();
  /** This writer's id beside its pid: six random hex digits. */
  private final String writer =
      pid + "-" + Integer.toHexString(0x1000000 | new java.util.Random().nextInt(0x1000000)).substring(1);
  private long lastSweepMillis;
  private final FileChannel lockChannel;
  private final FileLock lock;
  private final Path active;
  private CountingStream out;
  private FileOutputStream fileOut;
  /** The UTC day (days since 1970) the active file's records belong to. */
  private long day;
  private int rotations;

  private RollingFile(Path dir, String base, long maxBytes, boolean daily, Retention retention, boolean ownerOnly)
      throws IOException {
    this.ownerOnly = ownerOnly;
    this.dir = dir;
    this.base = base;
    this.maxBytes = maxBytes;
    this.daily = daily;
    this.retention = retention;
    Files.createDirectories(dir);
    FileChannel channel = FileChannel.open(dir.resolve(base + ".jsonl.lock"), StandardOpenOption.CREATE,
        StandardOpenOption.WRITE);
    FileLock got = null;
    try {
      got = channel.tryLock();
    } catch (IOException | java.nio.channels.OverlappingFileLockException e) {
      got = null; // another writer in this JVM (a test) or a file system without locks: write our own file
    }
    if (got == null) {
      channel.close();
      lockChannel = null;
      lock = null;
      active = dir.resolve(base + "-" + writer + ".jsonl");
    } else {
      lockChannel = channel;
      lock = got;
      active = dir.resolve(base + ".jsonl");
    }
    open();
    sweep();
  }

  /** Opens the active file for appending; says why not and returns null when it cannot. */
  public static RollingFile open(Path dir, String base, long maxBytes, boolean daily, Retention retention) {
    return open(dir, base, maxBytes, daily, retention, false);
  }

  /** As {@link #open}, every file it writes readable and writable by its owner only. */
  public static RollingFile openOwnerOnly(Path dir, String base, long maxBytes, boolean daily, Retention retention) {
    return open(dir, base, maxBytes, daily, retention, true);
  }

  private static RollingFile open(Path dir, String base, long maxBytes, boolean daily, Retention retention,
      boolean ownerOnly) {
    try {
      return new RollingFile(dir, base, maxBytes, daily, retention, ownerOnly);
    } catch (IOException | RuntimeException e) {
      Log.warn("cannot write " + base + ".jsonl in tracelight.output.dir=" + dir + " (" + e + ")");
      return null;
    }
  }

  private void open() throws IOException {
    if (ownerOnly && active.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      java.util.Set<java.nio.file.attribute.PosixFilePermission> rw =
          java.nio.file.attribute.PosixFilePermissions.fromString("rw-------");
      if (Files.exists(active)) {
        Files.setPosixFilePermissions(active, rw);
      } else {
        Files.createFile(active, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(rw));
      }
    }
    long existing = Files.exists(active) ? Files.size(active) : 0;
    day = existing > 0 ? dayOf(Files.getLastModifiedTime(active).toMillis()) : today();
    fileOut = new FileOutputStream(active.toFile(), true);
    out = new CountingStream(new BufferedOutputStream(fileOut, 64 * 1024), existing);
  }

  public Path file() {
    return active;
  }

  public OutputStream stream() {
    return out;
  }

  /** Bytes in the active file, written or buffered. */
  public long size() {
    return out.count;
  }

  /**
   * Before a record: true when the active file is due to rotate (over the size, or a new day),
   * counting what the caller holds in its own buffer. The caller flushes that, then calls
   * {@link #rotate}.
   */
  public boolean due(long bufferedElsewhere) {
    long size = out.count + bufferedElsewhere;
    return maxBytes > 0 && size >= maxBytes || daily && today() != day && size > 0;
  }

  /** Closes the active file, renames it to its rotated name, opens a new one, sweeps; returns the rotated name. */
  public Path rotate() throws IOException {
    out.close();
    Path rotated = rotatedName();
    Files.move(active, rotated, StandardCopyOption.ATOMIC_MOVE);
    open();
    sweep();
    return rotated;
  }

  private Path rotatedName() {
    Path p;
    do {
      rotations++;
      p = dir.resolve(base + "-" + java.time.LocalDate.ofEpochDay(day) + "-" + writer + "-" + rotations + ".jsonl");
    } while (Files.exists(p));
    return p;
  }

  /** True for a rotated file of this base (any writer's): {@code base-yyyy-MM-dd-pid-id-n.jsonl}. */
  boolean isRotated(String name) {
    return name.matches(java.util.regex.Pattern.quote(base) + "-\\d{4}-\\d{2}-\\d{2}-\\d+-[0-9a-f]{6}-\\d+\\.jsonl");
  }

  /** True for another writer's active file: {@code base-pid-id.jsonl}. */
  boolean isWriters(String name) {
    return name.matches(java.util.regex.Pattern.quote(base) + "-\\d+-[0-9a-f]{6}\\.jsonl");
  }

  /** Rotated files of this base in the directory, oldest first. */
  public List<Path> rotatedFiles() throws IOException {
    List<Path> files = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, base + "-*.jsonl")) {
      for (Path p : ds) {
        if (isRotated(p.getFileName().toString())) {
          files.add(p);
        }
      }
    }
    final java.util.Map<Path, Long> times = new java.util.HashMap<>();
    for (Path p : files) {
      times.put(p, Files.getLastModifiedTime(p).toMillis());
    }
    files.sort(new java.util.Comparator<Path>() {
      @Override
      public int compare(Path a, Path b) {
        int byTime = Long.compare(times.get(a), times.get(b));
        return byTime != 0 ? byTime : a.getFileName().toString().compareTo(b.getFileName().toString());
      }
    });
    return files;
  }

  /** Sweeps at most once an hour, for a JVM that writes nothing for days (called when idle). */
  public void sweepHourly() {
    long now = System.currentTimeMillis();
    if (now - lastSweepMillis >= 3_600_000L) {
      lastSweepMillis = now;
      sweep();
    }
  }

  /**
   * Deletes the oldest rotated files past the retention's age or total size, and other writers'
   * active files untouched for longer than the age (their JVM is gone, or has written nothing for
   * that long, so they hold only records past the age).
   */
  public void sweep() {
    if (retention.maxAgeMillis <= 0 && retention.maxBytes <= 0) {
      return;
    }
    long now = System.currentTimeMillis();
    lastSweepMillis = now;
    try {
      if (retention.maxAgeMillis > 0) {
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, base + "-*.jsonl")) {
          for (Path p : ds) {
            if (isWriters(p.getFileName().toString()) && !p.equals(active)
                && now - Files.getLastModifiedTime(p).toMillis() > retention.maxAgeMillis) {
              Files.deleteIfExists(p);
            }
          }
        }
      }
      List<Path> files = rotatedFiles();
      long total = 0;
      for (Path p : files) {
        total += Files.size(p);
      }
      for (Path p : files) {
        long size = Files.size(p);
        boolean old = retention.maxAgeMillis > 0 && now - Files.getLastModifiedTime(p).toMillis() > retention.maxAgeMillis;
        boolean over = retention.maxBytes > 0 && total > retention.maxBytes;
        if (!old && !over) {
          break; // the rest are newer, and the total fits
        }
        Files.deleteIfExists(p);
        total -= size;
      }
    } catch (IOException | RuntimeException e) {
      Log.warnOnce("retention-" + base, "retention sweep of " + base + " files in " + dir + " failed (" + e + ")");
    }
  }

  public void flush() throws IOException {
    out.flush();
  }

  /** Flushes and has the operating system write the file to its device (fsync). */
  public void sync() throws IOException {
    out.flush();
    fileOut.getFD().sync();
  }

  public void close() throws IOException {
    try {
      out.close();
    } finally {
      if (lock != null) {
        lock.release();
        lockChannel.close();
      }
    }
  }

  /** Reopens the active file when it was deleted under the writer (writes to it would vanish). */
  public boolean reopenIfDeleted() throws IOException {
    if (Files.exists(active)) {
      return false;
    }
    out.close();
    open();
    return true;
  }

  /** Days since 1970 in UTC; plain arithmetic, so starting the agent loads no java.time classes. */
  private static long today() {
    return dayOf(System.currentTimeMillis());
  }

  private static long dayOf(long millis) {
    return Math.floorDiv(millis, 86_400_000L);
  }

  /** Counts the bytes written, to rotate by size without a stat per record. */
  private static final class CountingStream extends java.io.FilterOutputStream {
    long count;

    CountingStream(OutputStream out, long initial) {
      super(out);
      this.count = initial;
    }

    @Override
    public void write(int b) throws IOException {
      out.write(b);
      count++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
      count += len;
    }
  }

}
