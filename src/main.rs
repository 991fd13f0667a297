//! The entry point trunk builds: mount the studio on the page's body.

fn main() {
    seedream_studio::start();
}
