//! The schema's migrations, written once for both databases. The two differ
//! only in how a table's own key and a 64-bit column are declared, so the
//! files in `migrations/` say `{id}` and `{bigint}` and each database gets
//! its words here. The text each database runs is exactly the text it ran
//! when the migrations were two folders, so its recorded checksums still
//! match (`schema::tests::each_database_runs_the_text_it_always_ran`).

use sqlx::migrate::{Migration, Migrator};
use sqlx::{AssertSqlSafe, SqlSafeStr};

use crate::sql::Backend;

/// The migrations as written, with the placeholders.
static WRITTEN: Migrator = sqlx::migrate!("./migrations");

/// The migrations one database runs (`run_to` brings a database to an
/// earlier schema, as the tests of upgrades do).
pub fn migrator<DB: Backend>() -> Migrator {
    Migrator::with_migrations(
        WRITTEN
            .iter()
            .map(|m| {
                let sql = text(m.sql.as_str(), DB::ID, DB::BIGINT);
                Migration::new(
                    m.version,
                    m.description.clone(),
                    m.migration_type,
                    AssertSqlSafe(sql).into_sql_str(),
                    m.no_tx,
                )
            })
            .collect(),
    )
}

fn text(written: &str, id: &str, bigint: &str) -> String {
    written.replace("{id}", id).replace("{bigint}", bigint)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The first 8 bytes of each migration's SHA-384 as each database
    /// recorded it when the migrations were two folders of plain SQL:
    /// a database written then opens now.
    #[test]
    fn each_database_runs_the_text_it_always_ran() {
        let sqlite = [
            "0b4cedbffc9591cf",
            "913a971e5155ab64",
            "13b9e9429dec641c",
            "ba83a8fadf5cab21",
            "a03124570d59c206",
            "1fbd903f018de368",
            "08760d9121887049",
            "efaf76ceed4e445d",
        ];
        let postgres = [
            "00e2d638d2ebcda8",
            "e8d91bb32245f6be",
            "6c3841ac8c353013",
            "ba83a8fadf5cab21",
            "2721e634abdd5fd2",
            "cd1f990e6d4dc38b",
            "199fc1194c59a8ff",
            "efaf76ceed4e445d",
        ];
        let hex = |m: &Migration| m.checksum[..8].iter().map(|b| format!("{b:02x}")).collect::<String>();
        let runs = |m: Migrator| m.iter().map(hex).collect::<Vec<_>>();
        assert_eq!(runs(migrator::<sqlx::Sqlite>())[..8], sqlite);
        assert_eq!(runs(migrator::<sqlx::Postgres>())[..8], postgres);
        assert!(WRITTEN.iter().all(|m| !text(m.sql.as_str(), "", "").contains(['{', '}'])), "a placeholder unknown");
    }
}
