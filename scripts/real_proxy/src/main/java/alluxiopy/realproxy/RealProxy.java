package alluxiopy.realproxy;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * Runs a single-node Alluxio 2.x cluster (master, one worker, proxy) inside one JVM, for
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
 * pipe closes, so a killed launcher leaves no JVM behind).
 */
public final class RealProxy {
  private static final String LOOPBACK = "127.0.0.1";

  private RealProxy() {}

  public static void main(String[] args) throws Exception {
    String root = null;
    String work = null;
    int port = 0;
    boolean exitOnStdinEof = false;
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

    Map<String, String> conf = new LinkedHashMap<>();
    conf.put("alluxio.home", workDir.getPath());
    conf.put("alluxio.work.dir", workDir.getPath());
    conf.put("alluxio.logs.dir", logs.getPath());
    conf.put("alluxio.conf.dir", new File(workDir, "conf").getPath());
    // Every listener on loopback only; ports picked here because the master does not report
    // an ephemeral RPC port back to its own clients.
    for (String service : new String[] {"master", "master.web", "worker", "worker.web",
        "proxy.web", "job.master", "job.master.web", "job.worker", "job.worker.web"}) {
      conf.put("alluxio." + service + ".bind.host", LOOPBACK);
      conf.put("alluxio." + service + ".hostname", LOOPBACK);
    }
    conf.put("alluxio.user.hostname", LOOPBACK);
    conf.put("alluxio.master.rpc.port", Integer.toString(freePort()));
    conf.put("alluxio.master.web.port", Integer.toString(freePort()));
    conf.put("alluxio.worker.rpc.port", Integer.toString(freePort()));
    conf.put("alluxio.worker.web.port", Integer.toString(freePort()));
    conf.put("alluxio.proxy.web.port", Integer.toString(port == 0 ? freePort() : port));
    for (String key : new String[] {"job.master.rpc", "job.master.web", "job.worker.rpc",
        "job.worker.data", "job.worker.web"}) {
      conf.put("alluxio." + key + ".port", Integer.toString(freePort()));
    }
    // Under store = the caller's directory; journal and metadata outside it so they never show
    // up in listings. UFS journal + heap metastore: no Raft port, no RocksDB, faster start.
    conf.put("alluxio.master.mount.table.root.ufs", rootDir.getPath());
    conf.put("alluxio.master.journal.type", "UFS");
    conf.put("alluxio.master.journal.folder", new File(workDir, "journal").getPath());
    conf.put("alluxio.master.metastore", "HEAP");
    conf.put("alluxio.master.metastore.dir", new File(workDir, "metastore").getPath());
    // Worker storage on disk (not a RAM disk). The tier keeps Alluxio's default alias MEM so
    // block locations look like a default deployment's.
    conf.put("alluxio.worker.tieredstore.levels", "1");
    conf.put("alluxio.worker.tieredstore.level0.alias", "MEM");
    conf.put("alluxio.worker.tieredstore.level0.dirs.path", storage.getPath());
    conf.put("alluxio.worker.tieredstore.level0.dirs.quota", "1GB");
    conf.put("alluxio.worker.ramdisk.size", "1GB");
    // The 2.9 default (true) replaces the whole /api/v1/* servlet with the S3-only v2 servlet,
    // which answers every /api/v1/paths and /api/v1/streams request with an empty 200.
    conf.put("alluxio.proxy.s3.v2.version.enabled", "false");
    // No phone-home, no start-up grace period waiting for workers.
    conf.put("alluxio.master.update.check.enabled", "false");
    conf.put("alluxio.master.worker.connect.wait.time", "0sec");
    // A fresh journal has nothing to replay: skip the default 5 s quiet period before the
    // (job) master takes the primary role, as Alluxio's own test configuration does.
    conf.put("alluxio.master.journal.tailer.shutdown.quiet.wait.time", "50ms");
    conf.put("alluxio.master.journal.tailer.sleep.time", "10ms");
    // Stop quickly: the defaults wait up to a minute for idle connections to drain.
    conf.put("alluxio.worker.network.netty.shutdown.quiet.period", "0ms");
    conf.put("alluxio.worker.network.shutdown.timeout", "1sec");
    conf.put("alluxio.network.connection.server.shutdown.timeout", "2sec");
    conf.put("alluxio.network.connection.shutdown.graceful.timeout", "1sec");
    conf.put("alluxio.web.threads", "4");
    conf.putAll(overrides);
    for (Map.Entry<String, String> e : conf.entrySet()) {
      System.setProperty(e.getKey(), e.getValue());
    }

    Cluster cluster = new Cluster();
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
        System.exit(0);
      }, "stdin-eof-watch");
      stdinWatch.setDaemon(true);
      stdinWatch.start();
    }

    PrintStream out = System.out;
    try {
      int proxyPort = cluster.start();
      out.println("ALLUXIO_PROXY_PORT=" + proxyPort);
      out.flush();
    } catch (Throwable t) {
      System.err.println("real-proxy: start-up failed: " + t);
      t.printStackTrace();
      System.exit(2);
    }
    stopped.await();
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(LOOPBACK))) {
      return s.getLocalPort();
    }
  }

  /** Master, worker, job master, job worker and proxy processes, each run on its own thread like Alluxio's minicluster. */
  static final class Cluster {
    private static final int READY_TIMEOUT_MS = 120_000;
    private final List<alluxio.Process> mProcesses = new ArrayList<>();
    private final List<Thread> mThreads = new ArrayList<>();

    synchronized int start() throws Exception {
      alluxio.cli.Format.format(alluxio.cli.Format.Mode.MASTER,
          alluxio.conf.Configuration.global());
      run("master", alluxio.master.AlluxioMasterProcess.Factory.create());
      run("worker", alluxio.worker.WorkerProcess.Factory.create());
      run("job-master", jobMaster());
      run("job-worker", alluxio.worker.JobWorkerProcess.Factory.create());
      alluxio.proxy.ProxyProcess proxy = alluxio.proxy.ProxyProcess.Factory.create();
      run("proxy", proxy);
      return proxy.getWebLocalPort();
    }

    /** The job master's factory is package-private in 2.9; the minicluster calls it from inside
     * {@code alluxio.master}, we call it reflectively. */
    private static alluxio.Process jobMaster() throws ReflectiveOperationException {
      java.lang.reflect.Method create =
          Class.forName("alluxio.master.AlluxioJobMasterProcess$Factory")
              .getDeclaredMethod("create");
      create.setAccessible(true);
      return (alluxio.Process) create.invoke(null);
    }

    private void run(String name, alluxio.Process process) {
      Thread t = new Thread(() -> {
        try {
          process.start();
        } catch (InterruptedException e) {
          // Expected on stop.
        } catch (Exception e) {
          System.err.println("real-proxy: " + name + " failed: " + e);
          e.printStackTrace();
        }
      }, "real-proxy-" + name);
      t.setDaemon(true);
      mProcesses.add(process);
      mThreads.add(t);
      t.start();
      if (!process.waitForReady(READY_TIMEOUT_MS)) {
        throw new IllegalStateException(name + " did not become ready in "
            + READY_TIMEOUT_MS + " ms");
      }
    }

    /** Stops in reverse start order: proxy, worker, master. */
    synchronized void stop() {
      for (int i = mProcesses.size() - 1; i >= 0; i--) {
        try {
          mProcesses.get(i).stop();
        } catch (Exception e) {
          System.err.println("real-proxy: stopping " + mProcesses.get(i) + ": " + e);
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
      mThreads.clear();
    }
  }
}
