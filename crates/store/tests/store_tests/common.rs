//! What the store's test binaries share: a store on a fresh database of the
//! test's own (`kehoach_testing::db`), and a way to run one test body on
//! both databases.

#![allow(dead_code)] // each test binary uses its share of these

use kehoach_store::{PgStore, SqliteStore};
use kehoach_testing::db::{self, TestDatabase};
pub use kehoach_testing::root;

/// A store on a new SQLite file (kept while the database is).
pub async fn sqlite() -> (SqliteStore, TestDatabase) {
    let database = db::sqlite();
    let store = SqliteStore::open(&format!("sqlite://{}", database.url)).await.unwrap();
    (store, database)
}

/// A store on a new PostgreSQL database (dropped with it); none where no
/// server is named (never under CI).
pub async fn postgres() -> Option<(PgStore, TestDatabase)> {
    let database = db::postgres("store")?;
    Some((PgStore::open(&database.url).await.unwrap(), database))
}

/// Closes a store's connections before its database is dropped.
pub async fn drop_database(store: PgStore, database: TestDatabase) {
    store.pool().close().await;
    drop(database);
}

/// Runs one test body against SQLite and, where configured, PostgreSQL.
macro_rules! on_both {
    ($name:ident, $body:ident) => {
        #[tokio::test]
        async fn $name() {
            let (store, _database) = common::sqlite().await;
            $body(&store).await;
            if let Some((store, database)) = common::postgres().await {
                $body(&store).await;
                common::drop_database(store, database).await;
            }
        }
    };
}
