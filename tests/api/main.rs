//! The HTTP surface, tested against the real server on a free port (one test binary).

mod helpers;

mod download;
mod errors;
mod lifecycle;
mod marks;
mod marks_audio;
mod openai;
mod routes;
mod ssml;
mod streaming;
mod web;
