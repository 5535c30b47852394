//! Where attachment bytes live: an `object_store` (a folder in the data folder by
//! default, an S3-compatible bucket with `PARLEY_S3_BUCKET`). Bytes stream in and out in
//! parts; no file is ever held whole in memory.

use std::sync::Arc;

use bytes::Bytes;
use futures_util::stream::BoxStream;
use object_store::path::Path;
use object_store::{ObjectStore, WriteMultipart};

use crate::config::Config;

/// Size of the parts an upload is written in (S3's smallest multipart part).
const PART_BYTES: usize = 5 * 1024 * 1024;
/// Parts in flight at once while uploading.
const PARTS_IN_FLIGHT: usize = 2;

/// The attachment store.
#[derive(Clone)]
pub struct Files {
    store: Arc<dyn ObjectStore>,
}

impl std::fmt::Debug for Files {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Files").field("store", &self.store.to_string()).finish()
    }
}

impl Files {
    /// Opens the configured store, creating the local folder when needed.
    pub fn open(config: &Config) -> Result<Files, String> {
        let store: Arc<dyn ObjectStore> = match &config.s3_bucket {
            Some(bucket) => Arc::new(
                object_store::aws::AmazonS3Builder::from_env()
                    .with_bucket_name(bucket)
                    .build()
                    .map_err(|err| format!("PARLEY_S3_BUCKET: {err}"))?,
            ),
            None => {
                let dir = config.data_dir.join("attachments");
                std::fs::create_dir_all(&dir).map_err(|err| format!("cannot create {}: {err}", dir.display()))?;
                Arc::new(
                    object_store::local::LocalFileSystem::new_with_prefix(&dir)
                        .map_err(|err| format!("{}: {err}", dir.display()))?
                        .with_automatic_cleanup(true),
                )
            }
        };
        Ok(Files { store })
    }

    /// Starts writing a new object at `key`.
    pub async fn create(&self, key: &str) -> Result<Upload, object_store::Error> {
        let upload = self.store.put_multipart(&Path::from(key)).await?;
        Ok(Upload { writer: WriteMultipart::new_with_chunk_size(upload, PART_BYTES) })
    }

    /// The object's bytes as a stream of parts.
    pub async fn read(
        &self,
        key: &str,
    ) -> Result<BoxStream<'static, object_store::Result<Bytes>>, object_store::Error> {
        Ok(self.store.get(&Path::from(key)).await?.into_stream())
    }

    /// Deletes an object (already gone counts as deleted).
    pub async fn delete(&self, key: &str) -> Result<(), object_store::Error> {
        match self.store.delete(&Path::from(key)).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(err) => Err(err),
        }
    }

    /// Whether an object exists (tests check that a refused upload left nothing).
    pub async fn exists(&self, key: &str) -> bool {
        self.store.head(&Path::from(key)).await.is_ok()
    }

    /// Every object key under `prefix`.
    pub async fn keys(&self, prefix: &str) -> Vec<String> {
        use futures_util::StreamExt;
        self.store
            .list(Some(&Path::from(prefix)))
            .filter_map(|meta| async move { meta.ok().map(|m| m.location.to_string()) })
            .collect()
            .await
    }
}

/// An object being written: parts go out as they fill, at most [`PARTS_IN_FLIGHT`] at
/// a time. Dropped without [`Upload::finish`], nothing becomes visible.
pub struct Upload {
    writer: WriteMultipart,
}

impl Upload {
    /// Adds bytes, waiting while too many parts are in flight.
    pub async fn write(&mut self, bytes: Bytes) -> Result<(), object_store::Error> {
        self.writer.wait_for_capacity(PARTS_IN_FLIGHT).await?;
        self.writer.put(bytes);
        Ok(())
    }

    pub async fn finish(self) -> Result<(), object_store::Error> {
        self.writer.finish().await.map(|_| ())
    }

    /// Gives up: the parts written so far are removed.
    pub async fn abort(self) {
        if let Err(err) = self.writer.abort().await {
            tracing::warn!(%err, "could not remove an aborted upload's parts");
        }
    }
}
