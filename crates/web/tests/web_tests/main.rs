//! The web application on the real server, in one test binary.

mod common;

mod analytics_pg;
mod pages;
mod routes;
