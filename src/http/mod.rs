//! The HTTP service (axum on tokio): the only async part of Loa.
