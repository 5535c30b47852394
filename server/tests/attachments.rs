//! Attachments both ways: the type comes from the bytes, limits are per kind and stop an
//! upload early with nothing stored, a file reaches the other side only with its message,
//! and downloads need the operator session or the visitor's token (another workspace's
//! file is 404). Runs on SQLite, and on PostgreSQL when `DATABASE_URL` is set.

mod support;

use futures_util::StreamExt;
use parley_types::{Attachment, AttachmentKind, ClientEvent, OperatorEvent, Role, VisitorEvent, WidgetSession};
use sha2::Digest;
use support::{SITE, TestApp, TestWorkspace};

/// A PNG header declaring `width` × `height`, then `extra` bytes.
fn png(width: u32, height: u32, extra: usize) -> Vec<u8> {
    let mut bytes = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR".to_vec();
    bytes.extend_from_slice(&width.to_be_bytes());
    bytes.extend_from_slice(&height.to_be_bytes());
    bytes.extend_from_slice(&[8, 6, 0, 0, 0, 0, 0, 0, 0]);
    bytes.extend((0..extra).map(|i| (i % 251) as u8));
    bytes
}

fn pdf(extra: usize) -> Vec<u8> {
    let mut bytes = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n".to_vec();
    bytes.extend(std::iter::repeat_n(b'x', extra));
    bytes
}

async fn visitor_upload(
    app: &TestApp,
    ws: &TestWorkspace,
    visitor: &WidgetSession,
    name: &str,
    body: reqwest::Body,
) -> reqwest::Response {
    reqwest::Client::new()
        .post(format!("{}/widget/v1/{}/attachments", app.base, ws.key))
        .header("Origin", SITE)
        .header("x-parley-token", &visitor.token)
        .header("x-parley-filename", support::api::percent(name))
        .body(body)
        .send()
        .await
        .expect("upload request")
}

async fn visitor_download(app: &TestApp, ws: &TestWorkspace, token: &str, id: parley_types::AttachmentId) -> u16 {
    reqwest::Client::new()
        .get(format!("{}/widget/v1/{}/attachments/{id}", app.base, ws.key))
        .header("Origin", SITE)
        .header("x-parley-token", token)
        .send()
        .await
        .expect("download request")
        .status()
        .as_u16()
}

/// Rows in `attachments` and objects in the store, to check that a refusal left nothing.
async fn stored(app: &TestApp) -> (u64, usize) {
    use sea_orm::{EntityTrait, PaginatorTrait};
    // unscoped: the test counts every workspace's rows.
    let rows = parley_services::entities::attachment::Entity::find().count(&app.services.db).await.unwrap();
    (rows, app.services.files.keys("").await.len())
}

#[tokio::test]
async fn a_visitors_image_reaches_the_operator_who_downloads_it_and_nobody_else_can() {
    let app = TestApp::spawn().await;
    let ws = app.workspace("Acme").await;
    let other = app.workspace("Globex").await;
    let operator = app.operator(&ws).await;
    let outsider = app.operator(&other).await;
    let mut operator_socket = operator.socket().await;
    let visitor = app.visitor(&ws).await;
    let (mut widget, _) = app.visitor_socket(&ws, &visitor, 0).await;

    let bytes = png(640, 480, 3000);
    let response = visitor_upload(&app, &ws, &visitor, "my cat.png", bytes.clone().into()).await;
    assert_eq!(response.status(), 201);
    let file: Attachment = response.json().await.unwrap();
    assert_eq!(
        (file.kind, file.mime.as_str(), file.width, file.size),
        (AttachmentKind::Image, "image/png", Some(640), bytes.len() as u64)
    );

    // Pending: the team sees nothing yet; the uploader may fetch it back.
    assert_eq!(operator.download(file.id).await.status(), 404);
    assert_eq!(visitor_download(&app, &ws, &visitor.token, file.id).await, 200);

    widget.send(&ClientEvent::Send { client_id: "v-1".into(), text: String::new(), attachments: vec![file.id] }).await;
    let message = operator_socket
        .wait_for(|e| match e {
            OperatorEvent::MessageCreated { message } => Some(message),
            _ => None,
        })
        .await;
    assert_eq!(message.attachments, vec![file.clone()]);
    assert_eq!(message.text, "");
    let echoed = widget.wait_for(|e| match e {
        VisitorEvent::MessageCreated { message } => Some(message),
        _ => None,
    });
    assert_eq!(echoed.await.attachments, vec![file.clone()]);

    let response = operator.download(file.id).await;
    assert_eq!(response.status(), 200);
    let headers = response.headers().clone();
    assert_eq!(headers["content-type"], "image/png");
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert!(headers["content-disposition"].to_str().unwrap().starts_with("inline;"));
    assert_eq!(response.bytes().await.unwrap().as_ref(), bytes.as_slice());
    // The stored hash is the bytes' hash.
    {
        use sea_orm::EntityTrait;
        // unscoped: the test reads the row it made.
        let row = parley_services::entities::attachment::Entity::find_by_id(file.id.0)
            .one(&app.services.db)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(row.sha256, hex::encode(sha2::Sha256::digest(&bytes)));
    }

    // The history carries it too, and the list previews it.
    let detail: serde_json::Value = operator.get_conversation(message.conversation_id).await.json().await.unwrap();
    assert_eq!(detail["messages"][0]["attachments"][0]["name"], "my cat.png");
    assert_eq!(detail["summary"]["last_message"], "📎 my cat.png");

    // Another workspace, no session, another visitor: 404, 401, 404.
    assert_eq!(outsider.download(file.id).await.status(), 404);
    assert_eq!(app.anonymous().download(file.id).await.status(), 401);
    let stranger = app.visitor(&ws).await;
    assert_eq!(visitor_download(&app, &ws, &stranger.token, file.id).await, 404);
    assert_eq!(visitor_download(&app, &ws, &visitor.token, file.id).await, 200);
    let foreign = app.visitor(&other).await;
    assert_eq!(visitor_download(&app, &other, &foreign.token, file.id).await, 404);
}

#[tokio::test]
async fn html_named_png_executables_and_huge_images_are_refused_with_nothing_stored() {
    let app = TestApp::spawn().await;
    let ws = app.workspace("Acme").await;
    let visitor = app.visitor(&ws).await;
    let cases: [(&str, Vec<u8>, &str); 4] = [
        ("cat.png", b"<!DOCTYPE html><html><body><script>alert(1)</script>".to_vec(), "HTML"),
        ("invoice.pdf", png(10, 10, 0), "named .pdf but its content is an image"),
        ("tool.png", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00".to_vec(), "Programs"),
        ("huge.png", png(10_000, 5_000, 100), "at most 40 megapixels"),
    ];
    for (name, bytes, why) in cases {
        let response = visitor_upload(&app, &ws, &visitor, name, bytes.into()).await;
        assert_eq!(response.status(), 400, "{name}");
        let body: serde_json::Value = response.json().await.unwrap();
        assert!(body["message"].as_str().unwrap().contains(why), "{name}: {body}");
    }
    assert_eq!(stored(&app).await, (0, 0));
}

/// A body that counts what it has produced, so a test can see the server stopped early.
fn counted(total: usize, head: Vec<u8>, produced: std::sync::Arc<std::sync::atomic::AtomicUsize>) -> reqwest::Body {
    let chunk = 64 * 1024;
    let stream = futures_util::stream::iter(0..total.div_ceil(chunk)).map(move |i| {
        produced.fetch_add(chunk, std::sync::atomic::Ordering::SeqCst);
        let mut bytes = vec![0u8; chunk];
        if i == 0 {
            bytes[..head.len()].copy_from_slice(&head);
        }
        Ok::<_, std::io::Error>(bytes)
    });
    reqwest::Body::wrap_stream(stream)
}

#[tokio::test]
async fn oversized_uploads_are_stopped_early_with_nothing_stored() {
    let app = TestApp::spawn().await;
    let ws = app.workspace("Acme").await;
    let visitor = app.visitor(&ws).await;
    let operator = app.operator(&ws).await;
    let id = app.visitor_writes(&ws, "files coming").await;

    // A 101 MB document announced by its length: refused before its bytes are read.
    let response = reqwest::Client::new()
        .post(format!("{}/attachments?conversation={id}", app.base))
        .header("Origin", app.base.as_str())
        .header("Cookie", operator.cookie())
        .header("x-parley-filename", "report.pdf")
        .header("content-length", (101_000_000u64).to_string())
        .body(reqwest::Body::wrap_stream(futures_util::stream::iter(vec![Ok::<_, std::io::Error>(pdf(1000))])))
        .send()
        .await;
    // The server answers at once and closes; the client may see the answer or a reset.
    if let Ok(response) = response {
        assert_eq!(response.status(), 413);
        let body: serde_json::Value = response.json().await.unwrap();
        assert_eq!(body["message"], "Files may be at most 100 MB.");
    }

    // A 50 MB image streamed without a length: stopped at the 5 MB images may have.
    let produced = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let response =
        visitor_upload(&app, &ws, &visitor, "big.png", counted(50_000_000, png(1000, 1000, 0), produced.clone())).await;
    assert_eq!(response.status(), 413);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["message"], "Images may be at most 5 MB.");
    let sent = produced.load(std::sync::atomic::Ordering::SeqCst);
    assert!(sent < 20_000_000, "the server read {sent} bytes of a 50 MB upload");

    // A document just over a lowered limit is refused; one under it is kept.
    let admin = app.member(&ws, Role::Admin).await;
    let set = admin
        .call(
            "update_attachment_limits",
            &[("image_mb", "5"), ("video_mb", "16"), ("audio_mb", "16"), ("document_mb", "0.5")],
        )
        .await;
    assert_eq!(set.status(), 200);
    assert_eq!(operator.upload(&format!("conversation={id}"), "a.pdf", pdf(500_001)).await.status(), 413);
    assert_eq!(stored(&app).await, (0, 0));
    assert_eq!(operator.upload(&format!("conversation={id}"), "b.pdf", pdf(400_000)).await.status(), 201);
    assert_eq!(stored(&app).await, (1, 1));

    // Operators may not change the limits; nonsense limits are refused.
    let refused = app
        .member(&ws, Role::Operator)
        .await
        .call(
            "update_attachment_limits",
            &[("image_mb", "5"), ("video_mb", "16"), ("audio_mb", "16"), ("document_mb", "1")],
        )
        .await;
    assert_eq!(refused.status(), 403);
    let refused = admin
        .call(
            "update_attachment_limits",
            &[("image_mb", "0"), ("video_mb", "16"), ("audio_mb", "16"), ("document_mb", "1")],
        )
        .await;
    assert_eq!(refused.status(), 400);
}

#[tokio::test]
async fn an_operators_file_reaches_the_visitor_once_and_only_with_its_message() {
    let app = TestApp::spawn().await;
    let ws = app.workspace("Acme").await;
    let operator = app.operator(&ws).await;
    let visitor = app.visitor(&ws).await;
    let (mut widget, _) = app.visitor_socket(&ws, &visitor, 0).await;
    widget
        .send(&ClientEvent::Send { client_id: "v-1".into(), text: "send me the invoice".into(), attachments: vec![] })
        .await;
    let id = widget.wait_for_message("send me the invoice").await.conversation_id;

    let file: Attachment =
        operator.upload(&format!("conversation={id}"), "invoice.pdf", pdf(2000)).await.json().await.unwrap();
    assert_eq!((file.kind, file.mime.as_str()), (AttachmentKind::Document, "application/pdf"));
    // Not the visitor's until it is sent.
    assert_eq!(visitor_download(&app, &ws, &visitor.token, file.id).await, 404);
    // The visitor cannot send the operator's upload as their own.
    widget
        .send(&ClientEvent::Send { client_id: "v-2".into(), text: "mine now".into(), attachments: vec![file.id] })
        .await;
    let refusal = widget
        .wait_for(|e| match e {
            VisitorEvent::Error(err) => Some(err.message),
            _ => None,
        })
        .await;
    assert!(refusal.contains("unknown or was sent already"), "{refusal}");

    let sent = operator.send_reply_with(id, "op-1", "Here it is", &[file.id]).await;
    assert_eq!(sent.status(), 200);
    let message = widget.wait_for_message("Here it is").await;
    assert_eq!(message.attachments, vec![file.clone()]);
    assert_eq!(visitor_download(&app, &ws, &visitor.token, file.id).await, 200);
    let response = operator.download(file.id).await;
    assert_eq!(response.headers()["content-type"], "application/octet-stream");
    assert!(response.headers()["content-disposition"].to_str().unwrap().starts_with("attachment;"));

    // A resend of the same reply is the same message; the file cannot go out twice.
    let again: parley_types::Message =
        operator.send_reply_with(id, "op-1", "Here it is", &[file.id]).await.json().await.unwrap();
    assert_eq!(again.id, message.id);
    let twice = operator.send_reply_with(id, "op-2", "again", &[file.id]).await;
    assert_eq!(twice.status(), 400);
}

#[tokio::test]
async fn a_quick_replys_files_are_copied_into_each_message_that_uses_it() {
    let app = TestApp::spawn().await;
    let ws = app.workspace("Acme").await;
    let other = app.workspace("Globex").await;
    let operator = app.operator(&ws).await;
    let colleague = app.member(&ws, Role::Operator).await;
    let outsider = app.operator(&other).await;
    let first = app.visitor_writes(&ws, "where is the manual?").await;
    let second = app.visitor_writes(&ws, "manual please").await;

    // Saved from the composer: the pending upload is kept on the new quick reply.
    let upload: Attachment =
        operator.upload(&format!("conversation={first}"), "manual.pdf", pdf(100)).await.json().await.unwrap();
    let created = operator
        .call(
            "create_quick_reply",
            &[
                ("title", "Manual"),
                ("shortcut", "manual"),
                ("body", "Here is the manual, {{contact.name}}."),
                ("shared", "true"),
                ("attachments[0]", &upload.id.to_string()),
            ],
        )
        .await;
    assert_eq!(created.status(), 200);
    let reply: parley_types::QuickReply = created.json().await.unwrap();
    let kept = reply.attachments[0].clone();
    assert_ne!(kept.id, upload.id);
    let listed: Vec<parley_types::QuickReply> = colleague.call("list_quick_replies", &[]).await.json().await.unwrap();
    assert_eq!(listed[0].attachments, vec![kept.clone()]);

    // A colleague uses it twice: each message gets its own copy of the file.
    let a: parley_types::Message =
        colleague.send_reply_with(first, "c-1", "Here", &[kept.id]).await.json().await.unwrap();
    let b: parley_types::Message =
        colleague.send_reply_with(second, "c-2", "Here", &[kept.id]).await.json().await.unwrap();
    let (a, b) = (&a.attachments[0], &b.attachments[0]);
    assert!(a.id != b.id && a.id != kept.id);
    assert_eq!((a.name.as_str(), b.size), ("manual.pdf", kept.size));
    let bytes = colleague.download(b.id).await.bytes().await.unwrap();
    assert_eq!(bytes.as_ref(), pdf(100).as_slice());
    // The quick reply still has its file; another workspace cannot use or see it.
    assert_eq!(colleague.download(kept.id).await.status(), 200);
    assert_eq!(outsider.download(kept.id).await.status(), 404);
    let foreign = app.visitor_writes(&other, "hello").await;
    assert_eq!(outsider.send_reply_with(foreign, "o-1", "x", &[kept.id]).await.status(), 400);
}

#[tokio::test]
async fn uploads_nobody_sent_are_swept_after_a_day_and_sent_ones_stay() {
    let app = TestApp::spawn().await;
    let ws = app.workspace("Acme").await;
    let operator = app.operator(&ws).await;
    let id = app.visitor_writes(&ws, "hello").await;
    let upload = |name: &'static str| {
        let operator = &operator;
        async move {
            let file: Attachment =
                operator.upload(&format!("conversation={id}"), name, pdf(10)).await.json().await.unwrap();
            file
        }
    };
    let (sent, kept, forgotten) = (upload("sent.pdf").await, upload("kept.pdf").await, upload("forgotten.pdf").await);
    assert_eq!(operator.send_reply_with(id, "op-1", "", &[sent.id]).await.status(), 200);
    let created = operator
        .call(
            "create_quick_reply",
            &[("title", "Kept"), ("shortcut", "kept"), ("body", "Kept."), ("attachments[0]", &kept.id.to_string())],
        )
        .await;
    assert_eq!(created.status(), 200);
    assert_eq!(stored(&app).await, (4, 3));

    // Within the day nothing goes; a day later the two unsent uploads go, and the bytes of
    // the one a quick reply keeps stay.
    let now = parley_services::clock::now_ms();
    let sweep = |at: i64| {
        let services = app.services.clone();
        async move {
            let w = services.begin().await.unwrap();
            let removed = parley_services::attachments::sweep_pending(&services, &w, at).await.unwrap();
            w.commit().await.unwrap();
            removed
        }
    };
    assert_eq!(sweep(now).await, 0);
    let day = parley_services::attachments::PENDING_FOR.as_millis() as i64;
    assert_eq!(sweep(now + day + 1000).await, 2);
    assert_eq!(stored(&app).await, (2, 2));
    assert_eq!(operator.download(sent.id).await.status(), 200);
    assert_eq!(operator.download(forgotten.id).await.status(), 404);
    let reply: Vec<parley_types::QuickReply> = operator.call("list_quick_replies", &[]).await.json().await.unwrap();
    let copy = reply[0].attachments[0].id;
    assert_eq!(operator.download(copy).await.bytes().await.unwrap().as_ref(), pdf(10).as_slice());
}

#[tokio::test]
async fn a_voice_message_is_stored_as_audio_and_served_to_play() {
    let app = TestApp::spawn().await;
    let ws = app.workspace("Acme").await;
    let operator = app.operator(&ws).await;
    let visitor = app.visitor(&ws).await;
    let (mut widget, _) = app.visitor_socket(&ws, &visitor, 0).await;
    // The start of a WebM file as MediaRecorder writes it (EBML header, doctype "webm").
    let mut webm = b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\xf7\x81\x01\x42\xf2\x81\x04\x42\xf3\x81\x08\x42\x82\x84webm\x42\x87\x81\x04\x42\x85\x81\x02".to_vec();
    webm.resize(4096, 0);
    let response = reqwest::Client::new()
        .post(format!("{}/widget/v1/{}/attachments", app.base, ws.key))
        .header("Origin", SITE)
        .header("x-parley-token", &visitor.token)
        .header("x-parley-filename", "voice-message.webm")
        .header("x-parley-voice", "1")
        .body(webm.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 201);
    let file: Attachment = response.json().await.unwrap();
    assert_eq!((file.kind, file.mime.as_str(), file.voice), (AttachmentKind::Audio, "audio/webm", true));
    widget.send(&ClientEvent::Send { client_id: "v-1".into(), text: String::new(), attachments: vec![file.id] }).await;
    let message = widget
        .wait_for(|e| match e {
            VisitorEvent::MessageCreated { message } => Some(message),
            _ => None,
        })
        .await;
    let detail: serde_json::Value = operator.get_conversation(message.conversation_id).await.json().await.unwrap();
    assert_eq!(detail["summary"]["last_message"], "Voice message");
    let response = operator.download(file.id).await;
    assert_eq!(response.headers()["content-type"], "audio/webm");
    assert!(response.headers()["content-disposition"].to_str().unwrap().starts_with("attachment;"));
    assert_eq!(response.bytes().await.unwrap().len(), webm.len());

    // A "voice message" that is an image is refused.
    let refused = reqwest::Client::new()
        .post(format!("{}/widget/v1/{}/attachments", app.base, ws.key))
        .header("Origin", SITE)
        .header("x-parley-token", &visitor.token)
        .header("x-parley-filename", "voice.png")
        .header("x-parley-voice", "1")
        .body(png(1, 1, 10))
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 400);
}

#[tokio::test]
async fn deleting_a_quick_reply_deletes_the_bytes_no_message_uses() {
    let app = TestApp::spawn().await;
    let ws = app.workspace("Acme").await;
    let operator = app.operator(&ws).await;
    let id = app.visitor_writes(&ws, "hello").await;
    let upload = |name: &'static str| {
        let operator = &operator;
        async move {
            let file: Attachment =
                operator.upload(&format!("conversation={id}"), name, pdf(10)).await.json().await.unwrap();
            file
        }
    };
    let create = |shortcut: &'static str, file: parley_types::AttachmentId| {
        let operator = &operator;
        async move {
            let created = operator
                .call(
                    "create_quick_reply",
                    &[
                        ("title", shortcut),
                        ("shortcut", shortcut),
                        ("body", "See attached."),
                        ("attachments[0]", &file.to_string()),
                    ],
                )
                .await;
            let reply: parley_types::QuickReply = created.json().await.unwrap();
            reply
        }
    };
    let (used, unused) = (upload("used.pdf").await, upload("unused.pdf").await);
    let (kept, dropped) = (create("used", used.id).await, create("unused", unused.id).await);
    // The first quick reply's file goes out in a message; both uploads are sent too.
    assert_eq!(operator.send_reply_with(id, "op-1", "", &[kept.attachments[0].id, used.id]).await.status(), 200);
    assert_eq!(operator.send_reply_with(id, "op-2", "", &[unused.id]).await.status(), 200);
    let (rows, objects) = stored(&app).await;
    assert_eq!((rows, objects), (5, 2));

    // Deleting the quick replies drops their rows; the bytes stay while a message uses them.
    for reply in [&kept, &dropped] {
        assert_eq!(operator.call("delete_quick_reply", &[("id", &reply.id.to_string())]).await.status(), 200);
    }
    assert_eq!(stored(&app).await, (3, 2));
    assert_eq!(operator.download(used.id).await.status(), 200);
    assert_eq!(operator.download(unused.id).await.status(), 200);

    // A quick reply whose file no message uses takes the bytes with it.
    let lone = upload("lone.pdf").await;
    let reply = create("lone", lone.id).await;
    let w = app.services.begin().await.unwrap();
    parley_services::attachments::sweep_pending(&app.services, &w, parley_services::clock::now_ms() + 2 * 86_400_000)
        .await
        .unwrap();
    w.commit().await.unwrap();
    assert_eq!(stored(&app).await, (4, 3), "the pending upload went; its bytes stay for the quick reply");
    assert_eq!(operator.call("delete_quick_reply", &[("id", &reply.id.to_string())]).await.status(), 200);
    assert_eq!(stored(&app).await, (3, 2));
}
