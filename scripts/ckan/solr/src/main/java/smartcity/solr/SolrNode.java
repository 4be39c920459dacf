package smartcity.solr;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.apache.solr.embedded.JettyConfig;
import org.apache.solr.embedded.JettySolrRunner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves a Solr home over HTTP on 127.0.0.1 with Solr's own embedded Jetty runner.
 *
 * <p>Usage: {@code SolrNode --home DIR [--port 8983] [--pid-file FILE]}. The cores are those
 * core discovery finds under the home (DIR/name/core.properties); more can be added with the
 * CoreAdmin API. The pid file is written once the node serves requests and removed when it
 * stops; SIGTERM stops Jetty and closes the cores (committing what is pending). Heap and the
 * log level are JVM options (-Xmx512m, -Dsolr.log.level=INFO).
 */
public final class SolrNode {
  private static final Logger log = LoggerFactory.getLogger(SolrNode.class);

  private SolrNode() {}

  public static void main(String[] args) throws Exception {
    Path home = null;
    Path pidFile = null;
    int port = 8983;
    for (int i = 0; i < args.length; i++) {
      String value = i + 1 < args.length ? args[i + 1] : null;
      switch (args[i]) {
        case "--home" -> home = Path.of(require(args[i], value));
        case "--port" -> port = Integer.parseInt(require(args[i], value));
        case "--pid-file" -> pidFile = Path.of(require(args[i], value));
        default -> usage("unknown argument: " + args[i]);
      }
      i++;
    }
    if (home == null) {
      usage("--home is required");
    }
    if (!Files.isRegularFile(home.resolve("solr.xml"))) {
      usage("no solr.xml in the Solr home " + home);
    }

    JettyConfig config =
        JettyConfig.builder().setContext("/solr").setPort(port).stopAtShutdown(false).build();
    JettySolrRunner jetty = new JettySolrRunner(home.toAbsolutePath().toString(), config);
    final Path pid = pidFile;
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    jetty.stop();
                  } catch (Exception e) {
                    log.error("stopping Solr failed", e);
                  }
                  removePidFile(pid);
                  log.info("Solr on port {} stopped", jetty.getLocalPort());
                },
                "solr-node-shutdown"));
    try {
      jetty.start();
      if (jetty.getCoreContainer() == null) {
        throw new IllegalStateException("no CoreContainer: see the errors above");
      }
    } catch (Exception e) {
      // e.g. the port is taken or solr.xml is wrong: Jetty's threads would keep the JVM alive
      log.error("Solr did not start on 127.0.0.1:{}", port, e);
      System.exit(1);
    }
    if (pid != null) {
      writePidFile(pid);
    }
    log.info(
        "Solr {} serves {} at {} (pid {})",
        org.apache.solr.client.api.util.SolrVersion.LATEST,
        home,
        jetty.getBaseUrl(),
        ProcessHandle.current().pid());
  }

  private static String require(String flag, String value) {
    if (value == null) {
      usage(flag + " needs a value");
    }
    return value;
  }

  private static void usage(String message) {
    System.err.println("SolrNode: " + message);
    System.err.println("usage: SolrNode --home DIR [--port 8983] [--pid-file FILE]");
    System.exit(2);
  }

  private static void writePidFile(Path pidFile) throws IOException {
    Path tmp = pidFile.resolveSibling(pidFile.getFileName() + ".tmp");
    Files.writeString(tmp, ProcessHandle.current().pid() + "\n", StandardCharsets.US_ASCII);
    Files.move(tmp, pidFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  private static void removePidFile(Path pidFile) {
    if (pidFile == null) {
      return;
    }
    try {
      // only our own: a later node may have written its pid there already
      String recorded = Files.readString(pidFile, StandardCharsets.US_ASCII).trim();
      if (recorded.equals(Long.toString(ProcessHandle.current().pid()))) {
        Files.delete(pidFile);
      }
    } catch (IOException e) {
      log.debug("pid file {} not removed: {}", pidFile, e.toString());
    }
  }
}
