//! `parley backup` and `parley restore` for the SQLite database, and the lock on the data
//! folder that a running server holds so that a restore cannot replace its database
//! underneath it. On PostgreSQL, `pg_dump` and `pg_restore` are the tools.

use std::fs::{File, OpenOptions, TryLockError};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::Duration;

use migration::MigratorTrait;
use parley_services::Config;
use parley_services::tokens::random_token;
use sea_orm::sqlx::sqlite::{SqliteConnectOptions, SqliteConnection};
use sea_orm::sqlx::{ConnectOptions, Connection, Row};

/// The lock file in `PARLEY_DATA_DIR`.
pub const LOCK_FILE: &str = "parley.lock";

const ON_POSTGRES: &str = "this Parley uses PostgreSQL, whose backups are made with pg_dump \
     (e.g. `pg_dump --format=custom --file=parley.dump \"$DATABASE_URL\"`) and restored with pg_restore";

/// An exclusive lock on `PARLEY_DATA_DIR/parley.lock`, held for as long as this value
/// lives. The operating system releases it when the process ends, however it ends.
#[derive(Debug)]
pub struct DataDirLock {
    _file: File,
}

impl DataDirLock {
    /// Takes the lock, or explains who holds it.
    pub fn acquire(data_dir: &Path) -> Result<DataDirLock, String> {
        std::fs::create_dir_all(data_dir).map_err(|err| format!("cannot create {}: {err}", data_dir.display()))?;
        let path = data_dir.join(LOCK_FILE);
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(|err| format!("cannot open {}: {err}", path.display()))?;
        match file.try_lock() {
            Ok(()) => {
                // The holder's process id, for the message another process shows.
                let _ = file.set_len(0).and_then(|()| write!(file, "{}", std::process::id()));
                Ok(DataDirLock { _file: file })
            }
            Err(TryLockError::WouldBlock) => {
                let mut holder = String::new();
                let _ = file.read_to_string(&mut holder);
                let holder = holder.trim();
                let by = if holder.is_empty() { String::new() } else { format!(" (process {holder})") };
                Err(format!("a running Parley{by} holds {}: stop it before touching its data folder", path.display()))
            }
            Err(TryLockError::Error(err)) => Err(format!("cannot lock {}: {err}", path.display())),
        }
    }
}

/// The SQLite file `DATABASE_URL` names, or why there is none.
fn database_file(config: &Config) -> Result<PathBuf, String> {
    if !config.uses_sqlite() {
        return Err(ON_POSTGRES.into());
    }
    let options = SqliteConnectOptions::from_str(&config.database_url)
        .map_err(|err| format!("DATABASE_URL is not a SQLite URL Parley can read: {err}"))?;
    Ok(options.get_filename().to_path_buf())
}

/// Opens one connection of its own to an existing SQLite file.
async fn open(path: &Path) -> Result<SqliteConnection, String> {
    SqliteConnectOptions::new()
        .filename(path)
        .create_if_missing(false)
        .busy_timeout(Duration::from_secs(30))
        .connect()
        .await
        .map_err(|err| format!("cannot open {} as a SQLite database: {err}", path.display()))
}

/// A sibling of `path` for work in progress, hidden and unique.
fn scratch_path(path: &Path, what: &str) -> PathBuf {
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    path.with_file_name(format!(".{name}.{what}-{}", random_token(6)))
}

/// The `-wal` and `-shm` companions of a SQLite file.
fn companions(path: &Path) -> [PathBuf; 2] {
    ["-wal", "-shm"].map(|suffix| {
        let mut name = path.as_os_str().to_owned();
        name.push(suffix);
        PathBuf::from(name)
    })
}

fn sync_dir(dir: &Path) {
    // Makes the new directory entry durable; not every platform can open a directory.
    if let Ok(dir) = File::open(dir) {
        let _ = dir.sync_all();
    }
}

fn parent(path: &Path) -> &Path {
    match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    }
}

/// Removes a scratch file (and its companions) when dropped, unless disarmed.
struct Scratch(Option<PathBuf>);

impl Scratch {
    /// Keeps the file: it has been moved into place.
    fn disarm(mut self) {
        self.0 = None;
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        if let Some(path) = self.0.take() {
            let _ = std::fs::remove_file(&path);
            for companion in companions(&path) {
                let _ = std::fs::remove_file(companion);
            }
        }
    }
}

/// Writes a consistent copy of the SQLite database to `dest`, which must not exist. Safe
/// while the server runs: `VACUUM INTO` reads one snapshot, and writers carry on.
pub async fn backup(config: &Config, dest: &Path) -> Result<u64, String> {
    let source = database_file(config)?;
    if !source.is_file() {
        return Err(format!("there is no database at {}", source.display()));
    }
    if dest.exists() {
        return Err(format!(
            "{} already exists; a backup never overwrites a file, choose another name",
            dest.display()
        ));
    }
    let partial = Scratch(Some(scratch_path(dest, "partial")));
    let partial_path = partial.0.clone().unwrap_or_default();
    let mut conn = open(&source).await?;
    let vacuum = sea_orm::sqlx::query("VACUUM INTO ?").bind(partial_path.to_string_lossy().into_owned());
    let result = vacuum.execute(&mut conn).await;
    let _ = conn.close().await;
    result.map_err(|err| format!("cannot write {}: {err}", partial_path.display()))?;
    // SQLite does not sync the file VACUUM INTO writes.
    let file = File::open(&partial_path).and_then(|f| f.sync_all().and_then(|()| f.metadata()));
    let size = file.map_err(|err| format!("cannot sync {}: {err}", partial_path.display()))?.len();
    // A hard link never replaces an existing file, so a backup cannot overwrite one that
    // appeared meanwhile; and `dest` appears only once complete.
    match std::fs::hard_link(&partial_path, dest) {
        Ok(()) => drop(partial),
        Err(err) if err.kind() == std::io::ErrorKind::AlreadyExists => {
            return Err(format!("{} appeared meanwhile; a backup never overwrites a file", dest.display()));
        }
        // Some file systems have no hard links: fall back to a rename.
        Err(_) if !dest.exists() => {
            rename(&partial_path, dest)?;
            partial.disarm();
        }
        Err(err) => return Err(format!("cannot create {}: {err}", dest.display())),
    }
    sync_dir(parent(dest));
    Ok(size)
}

/// What `restore` did.
#[derive(Debug)]
pub struct Restored {
    /// The database file now in place.
    pub database: PathBuf,
    /// Where the database it replaced was moved, if there was one.
    pub previous: Option<PathBuf>,
}

/// Replaces the SQLite database with the backup at `source`, after checking that it is
/// an intact Parley database this version can run. Refused while a server holds the data
/// folder. The replaced database is kept beside the new one, renamed.
pub async fn restore(config: &Config, source: &Path) -> Result<Restored, String> {
    let target = database_file(config)?;
    let _lock = DataDirLock::acquire(&config.data_dir)?;
    if !source.is_file() {
        return Err(format!("{} is not a file", source.display()));
    }
    let dir = parent(&target);
    std::fs::create_dir_all(dir).map_err(|err| format!("cannot create {}: {err}", dir.display()))?;
    // Check the copy, not the original, so what is checked is exactly what is installed.
    let incoming = Scratch(Some(scratch_path(&target, "restoring")));
    let incoming_path = incoming.0.clone().unwrap_or_default();
    std::fs::copy(source, &incoming_path)
        .map_err(|err| format!("cannot copy {} into {}: {err}", source.display(), dir.display()))?;
    check_backup(&incoming_path).await.map_err(|why| format!("{} cannot be restored: {why}", source.display()))?;
    File::open(&incoming_path)
        .and_then(|f| f.sync_all())
        .map_err(|err| format!("cannot sync {}: {err}", incoming_path.display()))?;

    let previous = if target.exists() {
        let aside = PathBuf::from(format!("{}.replaced-{}", target.display(), parley_services::clock::now_ms()));
        rename(&target, &aside)?;
        // A -wal left beside the new file would be replayed into it: move it with its database.
        for (from, to) in companions(&target).iter().zip(companions(&aside).iter()) {
            if from.exists() {
                rename(from, to)?;
            }
        }
        Some(aside)
    } else {
        for stale in companions(&target) {
            let _ = std::fs::remove_file(stale);
        }
        None
    };
    rename(&incoming_path, &target)?;
    incoming.disarm();
    sync_dir(dir);
    Ok(Restored { database: target, previous })
}

fn rename(from: &Path, to: &Path) -> Result<(), String> {
    std::fs::rename(from, to).map_err(|err| format!("cannot rename {} to {}: {err}", from.display(), to.display()))
}

/// Checks that `path` is an intact SQLite database with a Parley schema this binary knows.
async fn check_backup(path: &Path) -> Result<(), String> {
    let mut conn = open(path).await?;
    let result = check_connection(&mut conn).await;
    let _ = conn.close().await;
    for companion in companions(path) {
        let _ = std::fs::remove_file(companion);
    }
    result
}

async fn check_connection(conn: &mut SqliteConnection) -> Result<(), String> {
    let not_sqlite = |err: sea_orm::sqlx::Error| format!("it is not a readable SQLite database ({err})");
    let rows = sea_orm::sqlx::query("PRAGMA integrity_check").fetch_all(&mut *conn).await.map_err(not_sqlite)?;
    let verdict: Vec<String> = rows.iter().filter_map(|row| row.try_get::<String, _>(0).ok()).collect();
    if verdict != ["ok"] {
        return Err(format!("SQLite's integrity check failed: {}", verdict.join("; ")));
    }
    let applied: Vec<String> = sea_orm::sqlx::query("SELECT version FROM seaql_migrations ORDER BY version")
        .fetch_all(&mut *conn)
        .await
        .map_err(|_| "it has no Parley schema (no seaql_migrations table)".to_owned())?
        .iter()
        .filter_map(|row| row.try_get::<String, _>(0).ok())
        .collect();
    if applied.is_empty() {
        return Err("it has no Parley schema (no migration was applied)".into());
    }
    let known: Vec<String> = migration::Migrator::migrations().iter().map(|m| m.name().to_owned()).collect();
    if let Some(unknown) = applied.iter().find(|version| !known.contains(version)) {
        return Err(format!("it comes from a newer Parley (migration {unknown} is unknown to this one)"));
    }
    Ok(())
}
