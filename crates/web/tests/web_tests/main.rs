//! The web application on the real server, in one test binary.

mod analytics_pg;
mod routes;
