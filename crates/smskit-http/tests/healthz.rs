//! The router serves over real HTTP on 127.0.0.1.

use smskit::{Engine, MemoryStore, Settings};
use smskit_http::{EngineHandle, HttpConfig, router};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn healthz_answers_ok() {
    let engine = EngineHandle::spawn(Engine::new(MemoryStore::new(), Settings::new()));
    let app = router(engine, HttpConfig::new("http://127.0.0.1", "token"));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await });
    let body = tokio::task::spawn_blocking(move || {
        ureq::get(&format!("http://{address}/healthz"))
            .call()
            .unwrap()
            .into_body()
            .read_to_string()
            .unwrap()
    })
    .await
    .unwrap();
    assert_eq!(body, "ok");
}
