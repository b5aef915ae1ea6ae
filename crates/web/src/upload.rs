//! Upload forms (multipart): a resolution, a filled-in template. The only
//! way to a form's file is [`Upload::read`], which checks the form's token
//! against the session's, as `CsrfForm` does for the other forms.

use axum::extract::Multipart;

use crate::error::AppError;
use crate::viewer::Viewer;

/// Why an upload form could not be read.
pub(crate) enum UploadError {
    /// The file did not arrive whole (over the size limit, or cut off).
    TooLarge,
    /// Not a multipart form.
    Malformed,
}

/// An upload form as read: its one file (name, bytes) and the choice of its
/// button (`action`), if any.
pub(crate) struct Upload {
    pub file: Option<(String, axum::body::Bytes)>,
    pub action: Option<String>,
}

impl Upload {
    /// Reads an upload form sent by `viewer`. The outer error is a form
    /// without the session's token (the form was read, nothing else done);
    /// the inner one says why the form could not be read.
    pub async fn read(mut form: Multipart, viewer: &Viewer) -> Result<Result<Upload, UploadError>, AppError> {
        let mut upload = Upload { file: None, action: None };
        let mut csrf = None;
        loop {
            match form.next_field().await {
                Ok(Some(field)) => match field.name() {
                    Some("csrf") => csrf = field.text().await.ok(),
                    Some("action") => upload.action = field.text().await.ok(),
                    Some("file") => {
                        let name = field.file_name().unwrap_or("tep").to_string();
                        match field.bytes().await {
                            Ok(bytes) => upload.file = Some((name, bytes)),
                            Err(_) => return Ok(Err(UploadError::TooLarge)),
                        }
                    }
                    _ => {}
                },
                Ok(None) => break,
                Err(_) => return Ok(Err(UploadError::Malformed)),
            }
        }
        viewer.check_csrf(csrf.as_deref())?;
        Ok(Ok(upload))
    }
}
