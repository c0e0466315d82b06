package alluxiopy.realproxy;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs a single-node Alluxio cluster (master, one worker, proxy; in 2.x also the job service)
 * inside one JVM, for
 * alluxio-py's tests. Started by scripts/real-proxy, which reads the line
 * {@code ALLUXIO_PROXY_PORT=<port>} from stdout once the proxy answers.
 *
 * <p>Every Alluxio setting is passed as a system property before Alluxio's configuration class
 * is first touched: Alluxio reads {@code alluxio.*} system properties at initialisation and parses
 * them like site properties, so no typed API is needed and {@code --conf k=v} overrides work.
 *
 * <p>Arguments: {@code --root DIR} (under-store root, required), {@code --work DIR} (journal,
 * worker storage, logs; required), {@code --port P} (proxy port, 0 = any free port),
 * {@code --conf KEY=VALUE} (repeatable), {@code --exit-on-stdin-eof} (stop when the parent's
 * pipe closes, so a killed launcher leaves no JVM behind), {@code --delete-work-on-exit}.
 */
public final class RealProxy {
  private static final String LOOPBACK = "127.0.0.1";
  private static volatile boolean sParentGone = false;

  private RealProxy() {}

  public static void main(String[] args) throws Exception {
    String root = null;
    String work = null;
    int port = 0;
    boolean exitOnStdinEof = false;
    boolean deleteWorkOnExit = false;
    Map<String, String> overrides = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--root":
          root = args[++i];
          break;
        case "--work":
          work = args[++i];
          break;
        case "--port":
          port = Integer.parseInt(args[++i]);
          break;
        case "--conf": {
          String kv = args[++i];
          int eq = kv.indexOf('=');
          if (eq <= 0) {
            throw new IllegalArgumentException("--conf expects KEY=VALUE, got " + kv);
          }
          overrides.put(kv.substring(0, eq), kv.substring(eq + 1));
          break;
        }
        case "--exit-on-stdin-eof":
          exitOnStdinEof = true;
          break;
        case "--delete-work-on-exit":
          deleteWorkOnExit = true;
          break;
        default:
          throw new IllegalArgumentException("unknown argument " + args[i]);
      }
    }
    if (root == null || work == null) {
      throw new IllegalArgumentException("--root and --work are required");
    }
    File workDir = new File(work).getAbsoluteFile();
    File rootDir = new File(root).getAbsoluteFile();
    File storage = new File(workDir, "worker-storage");
    File logs = new File(workDir, "logs");
    for (File d : new File[] {workDir, rootDir, storage, logs}) {
      if (!d.isDirectory() && !d.mkdirs()) {
        throw new IOException("cannot create " + d);
      }
    }
    System.setProperty("alluxio.realproxy.logdir", logs.getPath());

    // Alluxio 2.x moved the configuration to alluxio.conf; 1.x has alluxio.Configuration.
    boolean v2 = classExists("alluxio.conf.Configuration");
    Map<String, String> conf = new LinkedHashMap<>();
    conf.put("alluxio.home", workDir.getPath());
    conf.put("alluxio.work.dir", workDir.getPath());
    conf.put("alluxio.logs.dir", logs.getPath());
    conf.put("alluxio.conf.dir", new File(workDir, "conf").getPath());
    // Every listener on loopback only; ports picked here because the master does not report
    // an ephemeral RPC port back to its own clients.
    List<String> services = new ArrayList<>(Arrays.asList(
        "master", "master.web", "worker", "worker.web", "proxy.web"));
    services.addAll(v2
        ? Arrays.asList("job.master", "job.master.web", "job.worker", "job.worker.web")
        : Arrays.asList("worker.data"));
    for (String service : services) {
      conf.put("alluxio." + service + ".bind.host", LOOPBACK);
      conf.put("alluxio." + service + ".hostname", LOOPBACK);
    }
    conf.put("alluxio.user.hostname", LOOPBACK);
    List<String> ports = v2
        ? Arrays.asList("master.rpc", "master.web", "worker.rpc", "worker.web", "job.master.rpc",
            "job.master.web", "job.worker.rpc", "job.worker.data", "job.worker.web")
        : Arrays.asList("master", "master.web", "worker", "worker.data", "worker.web");
    for (String key : ports) {
      conf.put("alluxio." + key + ".port", Integer.toString(freePort()));
    }
    conf.put("alluxio.proxy.web.port", Integer.toString(port == 0 ? freePort() : port));
    // Under store = the caller's directory; journal and metadata outside it so they never show
    // up in listings. UFS journal (+ heap metastore in 2.x): no Raft port, no RocksDB.
    conf.put(v2 ? "alluxio.master.mount.table.root.ufs" : "alluxio.underfs.address",
        rootDir.getPath());
    conf.put("alluxio.master.journal.type", "UFS");
    conf.put("alluxio.master.journal.folder", new File(workDir, "journal").getPath());
    // Worker storage on disk (not a RAM disk). The tier keeps Alluxio's default alias MEM so
    // block locations look like a default deployment's.
    conf.put("alluxio.worker.tieredstore.levels", "1");
    conf.put("alluxio.worker.tieredstore.level0.alias", "MEM");
    conf.put("alluxio.worker.tieredstore.level0.dirs.path", storage.getPath());
    conf.put("alluxio.worker.tieredstore.level0.dirs.quota", "1GB");
    conf.put(v2 ? "alluxio.worker.ramdisk.size" : "alluxio.worker.memory.size", "1GB");
    // No start-up grace period waiting for workers.
    conf.put("alluxio.master.worker.connect.wait.time", "0sec");
    // A fresh journal has nothing to replay: skip the default 5 s quiet period before the
    // (job) master takes the primary role, as Alluxio's own test configuration does.
    conf.put("alluxio.master.journal.tailer.shutdown.quiet.wait.time", "50ms");
    conf.put("alluxio.master.journal.tailer.sleep.time", "10ms");
    conf.put("alluxio.worker.network.netty.shutdown.quiet.period", "0ms");
    if (!v2) {
      // 1.x web servers are web apps rooted at alluxio.web.resources (the web UI of a source
      // tree by default); when it is missing the context fails and every request gets 503.
      File webapp = new File(workDir, "webapp");
      if (!webapp.isDirectory() && !webapp.mkdirs()) {
        throw new IOException("cannot create " + webapp);
      }
      conf.put("alluxio.web.resources", webapp.getPath());
    }
    if (v2) {
      conf.put("alluxio.master.metastore", "HEAP");
      conf.put("alluxio.master.metastore.dir", new File(workDir, "metastore").getPath());
      // The 2.9.3+ default (true) replaces the whole /api/v1/* servlet with the S3-only v2
      // servlet, which answers every /api/v1/paths and /api/v1/streams request with an
      // empty 200. (2.9.0/2.9.1 do not know the key and ignore it.)
      conf.put("alluxio.proxy.s3.v2.version.enabled", "false");
      conf.put("alluxio.master.update.check.enabled", "false");  // no phone-home
      // Stop quickly: the defaults wait up to a minute for idle connections to drain.
      conf.put("alluxio.worker.network.shutdown.timeout", "1sec");
      conf.put("alluxio.network.connection.server.shutdown.timeout", "2sec");
      conf.put("alluxio.network.connection.shutdown.graceful.timeout", "1sec");
      conf.put("alluxio.web.threads", "4");
    }
    conf.putAll(overrides);
    for (Map.Entry<String, String> e : conf.entrySet()) {
      System.setProperty(e.getKey(), e.getValue());
    }

    Cluster cluster = new Cluster();
    final boolean finalDeleteWork = deleteWorkOnExit;
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      // A wedged server thread must not keep the JVM alive past its caller's patience.
      Thread watchdog = new Thread(() -> {
        try {
          Thread.sleep(20_000);
        } catch (InterruptedException e) {
          return;
        }
        Runtime.getRuntime().halt(3);
      }, "shutdown-watchdog");
      watchdog.setDaemon(true);
      watchdog.start();
      cluster.stop();
      if (finalDeleteWork && sParentGone) {
        // The launcher was killed outright and can no longer clean up itself (otherwise it
        // removes the directory, after reading the logs if start-up failed).
        deleteRecursively(workDir);
      }
      stopped.countDown();
    }, "real-proxy-shutdown"));
    if (exitOnStdinEof) {
      Thread stdinWatch = new Thread(() -> {
        try {
          InputStream in = System.in;
          byte[] buf = new byte[256];
          while (in.read(buf) >= 0) {
            // Input is ignored; only end-of-file matters.
          }
        } catch (IOException e) {
          // A broken pipe means the parent is gone as well.
        }
        sParentGone = true;
        System.exit(0);
      }, "stdin-eof-watch");
      stdinWatch.setDaemon(true);
      stdinWatch.start();
    }

    PrintStream out = System.out;
    try {
      int proxyPort = cluster.start(v2);
      out.println("ALLUXIO_PROXY_PORT=" + proxyPort);
      out.flush();
    } catch (Throwable t) {
      Throwable cause = t instanceof InvocationTargetException ? t.getCause() : t;
      System.err.println("real-proxy: start-up failed: " + cause);
      cause.printStackTrace();
      System.exit(2);
    }
    stopped.await();
  }

  private static void deleteRecursively(File f) {
    File[] children = f.listFiles();
    if (children != null) {
      for (File c : children) {
        deleteRecursively(c);
      }
    }
    if (!f.delete() && f.exists()) {
      System.err.println("real-proxy: could not delete " + f);
    }
  }

  private static final java.util.Set<Integer> PICKED = new java.util.HashSet<>();
  private static final java.util.Random RANDOM = new java.util.Random();

  /** A port free right now, below the kernel's ephemeral range when there is room there.
   * The port is released again before the service binds it; a port the kernel hands out for
   * outgoing connections or for "port 0" listeners (the test suite makes thousands) could be
   * taken in between, and the cluster then fails with "Address already in use". */
  private static int freePort() throws IOException {
    int ephemeralLow = ephemeralLow();
    InetAddress loopback = InetAddress.getByName(LOOPBACK);
    if (ephemeralLow > 12000) {
      for (int attempt = 0; attempt < 200; attempt++) {
        int candidate = 10000 + RANDOM.nextInt(ephemeralLow - 10000);
        if (PICKED.contains(candidate)) {
          continue;
        }
        try (ServerSocket s = new ServerSocket(candidate, 1, loopback)) {
          PICKED.add(candidate);
          return candidate;
        } catch (IOException taken) {
          // in use: try another
        }
      }
    }
    try (ServerSocket s = new ServerSocket(0, 1, loopback)) {
      PICKED.add(s.getLocalPort());
      return s.getLocalPort();
    }
  }

  private static int ephemeralLow() {
    try {
      String range = new String(java.nio.file.Files.readAllBytes(
          java.nio.file.Paths.get("/proc/sys/net/ipv4/ip_local_port_range"))).trim();
      return Integer.parseInt(range.split("\\s+")[0]);
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }

  /** Looks the class up without initialising it: Alluxio's configuration class reads the
   * system properties once, in its static initialiser, so it must not run before they are set. */
  private static boolean classExists(String name) {
    try {
      Class.forName(name, false, RealProxy.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException e) {
      return false;
    }
  }

  /**
   * Calls a static method by name and arity (it may sit on a package-private class). Failures
   * inside the call surface as {@link InvocationTargetException}.
   */
  private static Object callStatic(String className, String method, Object... args)
      throws ReflectiveOperationException {
    for (Method m : Class.forName(className).getDeclaredMethods()) {
      if (m.getName().equals(method) && m.getParameterCount() == args.length
          && Modifier.isStatic(m.getModifiers())) {
        m.setAccessible(true);
        return m.invoke(null, args);
      }
    }
    throw new NoSuchMethodException(className + "." + method + "/" + args.length);
  }

  /** Calls an instance method by name and arity, searching the class hierarchy. */
  private static Object callInstance(Object target, String method, Object... args)
      throws ReflectiveOperationException {
    for (Class<?> c = target.getClass(); c != null; c = c.getSuperclass()) {
      for (Method m : c.getDeclaredMethods()) {
        if (m.getName().equals(method) && m.getParameterCount() == args.length
            && !Modifier.isStatic(m.getModifiers())) {
          m.setAccessible(true);
          return m.invoke(target, args);
        }
      }
    }
    throw new NoSuchMethodException(target.getClass().getName() + "." + method);
  }

  /**
   * Master, worker, (2.x: job master, job worker) and proxy processes, each run on its own
   * thread like Alluxio's minicluster. Everything goes through reflection so that one launcher
   * serves the 1.x and 2.x class layouts.
   */
  static final class Cluster {
    private static final int READY_TIMEOUT_MS = 120_000;
    private static final int READY_POLL_MS = 200;
    private final List<Object> mProcesses = new ArrayList<>();
    private final List<String> mNames = new ArrayList<>();
    private final List<Thread> mThreads = new ArrayList<>();

    synchronized int start(boolean v2) throws Exception {
      Class<?> mode = Class.forName("alluxio.cli.Format$Mode");
      Object master = mode.getField("MASTER").get(null);
      if (v2) {
        Object global = callStatic("alluxio.conf.Configuration", "global");
        callStatic("alluxio.cli.Format", "format", master, global);
        run("master", callStatic("alluxio.master.AlluxioMasterProcess$Factory", "create"));
        run("worker", callStatic("alluxio.worker.WorkerProcess$Factory", "create"));
        run("job-master", callStatic("alluxio.master.AlluxioJobMasterProcess$Factory", "create"));
        run("job-worker", callStatic("alluxio.worker.JobWorkerProcess$Factory", "create"));
      } else {
        callStatic("alluxio.cli.Format", "format", master);
        run("master", callStatic("alluxio.master.MasterProcess$Factory", "create"));
        run("worker", callStatic("alluxio.worker.WorkerProcess$Factory", "create"));
      }
      Object proxy = callStatic("alluxio.proxy.ProxyProcess$Factory", "create");
      run("proxy", proxy);
      return (Integer) callInstance(proxy, "getWebLocalPort");
    }

    private void run(String name, Object process) throws ReflectiveOperationException {
      AtomicReference<Throwable> failure = new AtomicReference<>();
      Thread t = new Thread(() -> {
        try {
          callInstance(process, "start");
        } catch (Exception e) {
          Throwable cause = e instanceof InvocationTargetException ? e.getCause() : e;
          if (!(cause instanceof InterruptedException)) {  // expected on stop
            failure.set(cause);
            System.err.println("real-proxy: " + name + " failed: " + cause);
            cause.printStackTrace();
          }
        }
      }, "real-proxy-" + name);
      t.setDaemon(true);
      mProcesses.add(process);
      mNames.add(name);
      mThreads.add(t);
      t.start();
      // Waits in short steps: a process whose start failed (a port taken, say) never becomes
      // ready, and start-up should fail at once, not after the whole timeout.
      long deadline = System.currentTimeMillis() + READY_TIMEOUT_MS;
      while (!(Boolean) callInstance(process, "waitForReady", READY_POLL_MS)) {
        if (failure.get() != null) {
          throw new IllegalStateException(name + " failed to start: " + failure.get());
        }
        if (System.currentTimeMillis() > deadline) {
          throw new IllegalStateException(name + " did not become ready in "
              + READY_TIMEOUT_MS + " ms");
        }
      }
    }

    /** Stops in reverse start order: proxy, workers, masters. */
    synchronized void stop() {
      for (int i = mProcesses.size() - 1; i >= 0; i--) {
        try {
          callInstance(mProcesses.get(i), "stop");
        } catch (Exception e) {
          System.err.println("real-proxy: stopping " + mNames.get(i) + ": " + e);
        }
        Thread t = mThreads.get(i);
        t.interrupt();
        try {
          t.join(5_000);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
      mProcesses.clear();
      mNames.clear();
      mThreads.clear();
    }
  }
}
