//! Where the API lives: base URL, paths, the model's id, how long results last.
//!
//! One copy of these strings keeps the app, the proxy and the mock pointed at the
//! same routes.

/// The provider's base URL.
pub const DEFAULT_BASE_URL: &str = "https://api.modellix.ai";
/// The model id the provider reports in answers.
pub const MODEL_ID: &str = "bytedance/seedream-5.0-lite-edit";
/// The submit route (POST).
pub const SUBMIT_PATH: &str = "/api/v1/bytedance/seedream-5.0-lite-edit/async";
/// The task route's prefix (GET `{prefix}{task_id}`).
pub const TASKS_PATH_PREFIX: &str = "/api/v1/tasks/";
/// Output URLs expire this many seconds after the task ends (24 hours).
pub const RESULT_TTL_SECS: u64 = 24 * 3600;
/// The longest task id accepted from the network.
pub const MAX_TASK_ID_LEN: usize = 128;

/// The path of a task: `/api/v1/tasks/{id}`, with every byte outside
/// `A-Z a-z 0-9 - _ ~` percent-encoded, so an id can never add path segments
/// (`../`) or a query to the URL it is put in.
pub fn task_path(task_id: &str) -> String {
    let mut path = String::with_capacity(TASKS_PATH_PREFIX.len() + task_id.len());
    path.push_str(TASKS_PATH_PREFIX);
    for byte in task_id.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'~') {
            path.push(char::from(byte));
        } else {
            path.push_str(&format!("%{byte:02X}"));
        }
    }
    path
}

/// True for a task id the app and proxy will use: 1 to 128 characters of
/// `A-Z a-z 0-9 - _ . ~`, and not `.` or `..` (which would be path navigation).
/// The proxy checks ids with this before forwarding; the app refuses submit
/// answers whose id fails it.
pub fn is_valid_task_id(task_id: &str) -> bool {
    !task_id.is_empty()
        && task_id.len() <= MAX_TASK_ID_LEN
        && task_id != "."
        && task_id != ".."
        && task_id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~'))
}

/// The task id at the end of a path `/api/v1/tasks/{id}`, if valid.
pub fn task_id_from_path(path: &str) -> Option<&str> {
    path.strip_prefix(TASKS_PATH_PREFIX)
        .filter(|id| is_valid_task_id(id))
}
