//! The Modellix contract for Seedream 5.0 Lite Edit.
