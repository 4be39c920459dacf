package smartcity.solr;

import java.io.IOException;
import java.util.Collection;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FilterDirectory;
import org.apache.lucene.store.LockFactory;
import org.apache.solr.core.NRTCachingDirectoryFactory;

/**
 * Solr's default directory factory without fsync: for the local development and test node only.
 *
 * <p>Why: on the virtual disks this project runs on, the fsync of a hard commit takes ~0.4 s,
 * and CKAN commits after every dataset it indexes, so each package_create, resource_create or
 * package_patch waited that long. Without fsync a commit still writes every file, so the index
 * survives a restart or a killed Solr; what a machine crash leaves may be lost (rebuild it with
 * {@code ckan search-index rebuild}). A production Solr keeps Solr's own factory; so does this
 * node with {@code -Dsolr.directoryFactory=solr.NRTCachingDirectoryFactory} (SOLR_FSYNC=1 in
 * scripts/ckan/solr.sh).
 */
public class NoSyncDirectoryFactory extends NRTCachingDirectoryFactory {
  @Override
  protected Directory create(String path, LockFactory lockFactory, DirContext dirContext)
      throws IOException {
    return new NoSync(super.create(path, lockFactory, dirContext));
  }

  /** The wrapped directory with sync and syncMetaData as no-ops (public: Solr's core status
   * writes the directory object out by reflection). */
  public static final class NoSync extends FilterDirectory {
    public NoSync(Directory in) {
      super(in);
    }

    @Override
    public void sync(Collection<String> names) {}

    @Override
    public void syncMetaData() {}
  }
}
