// veille's local file system for Spark: Hadoop's, with file modes set through java.nio.
//
// Without Hadoop's native library (pyspark ships none), RawLocalFileSystem sets the mode of every
// file and folder it creates by starting a `chmod` process: writing a Parquet table partitioned by
// day starts about three per file (the file, its .crc, the day folder). On 2,000 articles that was
// 14,000 processes and a third of the time after the analysis. java.nio sets the same mode without a
// process. Modes with bits beyond rwx (sticky, setuid) and systems without POSIX attributes keep
// Hadoop's way.
//
// Rebuild the jar after editing: python -m veille.batch.localfs --build
package veille.hadoop;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;

import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.fs.permission.FsPermission;

public class NioLocalFileSystem extends LocalFileSystem {
  public NioLocalFileSystem() {
    super(new Raw());
  }

  /** RawLocalFileSystem whose setPermission needs no chmod process for plain rwx modes. */
  public static class Raw extends RawLocalFileSystem {
    // Bit i of a mode (0 = others' execute ... 8 = owner's read).
    private static final PosixFilePermission[] BITS = {
      PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
      PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
      PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ,
    };

    @Override
    public void setPermission(Path p, FsPermission permission) throws IOException {
      int mode = permission.toShort();
      if ((mode & ~0777) != 0) {
        super.setPermission(p, permission);
        return;
      }
      Set<PosixFilePermission> bits = EnumSet.noneOf(PosixFilePermission.class);
      for (int i = 0; i < BITS.length; i++) {
        if ((mode & (1 << i)) != 0) {
          bits.add(BITS[i]);
        }
      }
      try {
        Files.setPosixFilePermissions(pathToFile(p).toPath(), bits);
      } catch (UnsupportedOperationException e) {
        super.setPermission(p, permission);
      }
    }
  }
}
