# UI texts of the bot, English. Telegram HTML is allowed: <b>, <i>, <a href="…">.
# Keep the same message ids in ru.ftl and kk.ftl.

## Language names (shown on the language buttons, always in their own language)
language-name = English

## Main menu
welcome =
    Hi! This is a safe place to ask about drugs, health and your rights — without judgement.

    🔒 We never see your name or number. /privacy says exactly what is kept and for how long; /forget erases it all, this chat included.

    What do you need right now?
menu-title = What do you need?
menu-info = 📖 Safety information
menu-emergency = 🆘 Emergency / overdose
menu-consult = 💬 Talk to a consultant
menu-services = 📍 Services and referrals
menu-language = 🌐 Language
menu-privacy = 🔒 Privacy
button-menu = 🏠 Menu
button-back = ⬅️ Back

## Safety information
info-sections = 📖 <b>Safety information</b>

    Choose a topic. These texts were written by peers, following international harm-reduction guidance. They are general information: for your own situation, ask a consultant.
info-section = 📖 <b>{ $section }</b>
info-empty =
    Safety information is being updated. Please try again later, or write to a consultant.

    { emergency-numbers }
info-card-missing = This card has been moved or removed. Here are the topics we have now.
info-disclaimer = <i>ℹ️ This is information, not medical advice. If you feel unwell, see a doctor; in an emergency call { $ambulance }.</i>
info-card-footer = Questions about this? A consultant can answer anonymously.
button-talk = 💬 Talk to a consultant
button-back-to-section = ⬅️ { $section }
button-all-topics = 📖 All topics

## Emergency
emergency-fallback =
    🆘 <b>Emergency</b>

    Call an ambulance now: <b>{ $ambulance }</b> (or <b>{ $general }</b> from any phone). Put it on speaker: the dispatcher will guide you.
    If the person does not respond, check their breathing for up to 10 seconds. Very slow, occasional gasping, or gurgling breaths are <b>not</b> normal breathing.
    1. <b>Not breathing normally</b> → call <b>{ $ambulance }</b> if nobody has yet, and start CPR: heel of your hand on the centre of the chest, the other hand on top, arms straight; push 5–6 cm deep, 100–120 times a minute. Not trained in rescue breaths: pushes only, without pauses. Trained: 2 breaths after every 30 pushes.
    2. <b>Naloxone</b>: if opioids may be involved (tramadol, methadone, heroin, unknown pills or powder) or you do not know what was taken, give it as early as you can: it does no harm without opioids. Two of you: one keeps pushing, the other gives naloxone. On your own: pause only for the injection or the spray, then go straight back to pushing. No normal breathing after 2–3 minutes → another dose.
    3. <b>Breathing normally again</b> → turn them on their side (recovery position) and stay until help arrives: naloxone can wear off before the opioid does.
button-urgent-consult = 💬 Reach a consultant now

## Services
services-regions = 📍 <b>Services and referrals</b>

    Friendly places for testing, treatment, OST, psychologists and lawyers. Choose your city or region. Not listed, or no verified contacts yet? A consultant can help you find a service near you.
services-empty =
    The services directory is being updated. A consultant can help you find help near you.

    { emergency-numbers }
services-sample-note = ⚠️ <i>Sample entry: the organisation has not filled in verified contacts for this place yet.</i>
services-missing = This place is no longer in the directory. Here is the current list.

## Language
language-choose = 🌐 Choose your language:
language-changed = Done, I will speak English now.

## Privacy
privacy =
    🔒 <b>What is kept, where, and for how long</b>

    <b>In the bot's database</b> (on the organisation's server):
    • a code made from your Telegram account with a secret key: without the key nobody can turn it back into your account;
    • a random nickname for consultants, such as "Client 4F7K";
    • your chat number, encrypted, so that the bot can reply;
    • your language, if you chose one, and the day you last wrote (the day only);
    • for a conversation with a consultant: its subject, your region if you chose to say it, your rating and the numbers (never the text) of the messages passed between you;
    • the numbers (never the text) of the messages in this chat from the last 48 hours, so that "Clear this chat" can delete them.
    Your name, username, phone number, photo and the text of your messages are never stored. A message waiting to be delivered is held encrypted, for seconds.
    All of it is deleted { retention-days } after your conversation ends (without a conversation: { retention-days } after you last wrote).

    <b>In the team's private chat</b>: your messages are copied there under your nickname, never forwarded (so your account stays hidden), and consultants cannot forward or save them. The conversation's topic is deleted { retention-days } after it ends.

    <b>In this chat, on your phone</b>: the conversation stays until it is deleted. { $topics ->
        [yes] It has its own topic here, which "🧹 Clear this chat" deletes whole at any time; it is also deleted { retention-days } after the conversation ends.
       *[other] "🧹 Clear this chat" deletes the messages of the last 48 hours: Telegram does not let bots delete older ones. Delete the rest yourself: chat menu → "Clear history" or "Delete chat".
    }

    <b>In Telegram itself</b>: the chat with the bot is also stored on Telegram's servers until it is deleted. Telegram knows your account's phone number and the IP addresses you connect from. Its own privacy policy says it may give your phone number and IP address to the authorities on a court order naming you as a suspect in a criminal case. We cannot change that. What you can do:
    • use a separate account, on another number, for conversations like this;
    • set a passcode on Telegram (Settings → Privacy and Security → Passcode Lock);
    • turn on the auto-delete timer in this chat (chat menu → "Auto-Delete");
    • after a conversation, tap "🧹 Clear this chat" or send /forget.

    /forget erases everything at once: the database, the team's topic and this chat.
button-forget = 🗑 Erase my data

## Forget
forget-confirm =
    🗑 <b>Erase everything about you?</b>

    This deletes your code, nickname, encrypted chat number and language choice, the topics of your conversations in the team's chat, and the conversation in this chat. It cannot be undone. Next time you write, you start as a new person.
forget-yes = Yes, erase everything
forget-no = No, keep it
forget-cancelled = Nothing was erased.
forget-done = ✅ <b>Erased.</b> We deleted: { $what }.
forget-nothing = ✅ We held nothing else about you: there was nothing more to erase.
forget-item-client = your code and nickname ({ $pseudonym })
forget-item-chat = your encrypted chat number
forget-item-language = your language choice
forget-item-cases = { $count ->
    [one] your conversation with a consultant, with its topic in the team's chat and every copy of your messages in it
   *[other] your { $count } conversations with consultants, with their topics in the team's chat and every copy of your messages in them
}

## Unexpected input
unknown-command =
    I don't know that command. The menu below shows what I can do.

    { emergency-numbers }
unsupported-message =
    I can't read that kind of message here. Please use the menu below.

    { emergency-numbers }
free-text =
    I'm a bot and can't answer free text yet. Choose what you need below, or press “Talk to a consultant”.

    { emergency-numbers }
stale-button = This button is out of date. Here is the current menu.
error-generic =
    Sorry, something went wrong on our side. Please try again.

    { emergency-numbers }

## Commands (shown in Telegram's menu; at most 256 characters, no HTML)
command-start = Main menu
command-help = Emergency: overdose or bad reaction
command-info = Safety information
command-services = Services and referrals
command-language = Change language
command-privacy = What we store about you
command-forget = Erase all your data

## Talking to a consultant (intake, queue, consultation)
intake-topic =
    💬 <b>Talk to a consultant</b>

    A peer consultant will answer you here, in this chat. What is it about?
topic-substances = 💊 Substances and safety
topic-mental = 🧠 Mental health and support
topic-hiv = 🩺 HIV, hepatitis, STIs, testing
topic-legal = ⚖️ Legal help
topic-social = 🤝 Social and medical services
topic-other = 💬 Something else
intake-describe = In a few words, what is going on? You can also skip this and just talk to the consultant.
intake-skip = Skip
intake-cancel = Cancel
intake-use-buttons =
    Please choose one of the buttons above, or press Cancel.

    { emergency-numbers }
intake-reminder =
    🔒 <b>Before we connect you</b>

    The consultant sees only your nickname <b>{ $pseudonym }</b> and what you send here. Your messages are copied into the team's private chat, never forwarded: they do not see your name, username, phone number or photo (and you do not see theirs), and they cannot forward or save your messages. The team's copy is deleted after the conversation ends (/privacy says when), or at once with /forget.
    Please don't send your location, your contact or photos of documents.
intake-confirm = ✅ Connect me
intake-cancelled = Okay, nothing was sent. You can come back any time with /consult.
intake-no-location = 📍 Locations and contacts are never passed on: they would show who and where you are. Describe it in words instead, e.g. "a district of Almaty".
consult-queued =
    ✅ You are in the queue: place <b>{ $place }</b>.

    Write here whatever you want the consultant to know; they will see it when they join. /status shows your place, /end leaves the queue.
consult-on-duty = 🟢 Consultants are on duty now.
consult-off-duty =
    🌙 The team is off duty now and will be back on { $when }. Your messages will be waiting for them.

    { emergency-numbers }
consult-urgent =
    🆘 <b>You are first in line.</b> A consultant will answer as soon as possible.

    If someone is in danger right now, don't wait: call <b>{ $ambulance }</b> or <b>{ $general }</b>. Unconscious and not breathing normally: start CPR; if opioids are possible or you don't know what was taken, give naloxone. /help shows the steps.
consult-already-open = You already have an open conversation with a consultant: just write here. /status shows where it stands, /end ends it.
consult-joined = 👋 <b>{ $alias }</b> has joined the conversation.
consult-status-waiting = ⏳ You are in the queue: place <b>{ $place }</b>.
consult-status-active = 💬 You are talking with <b>{ $alias }</b>.
consult-status-none = You have no open conversation. Press “Talk to a consultant” in the menu to start one.
consult-end-confirm = End the conversation with the consultant?
consult-end-yes = Yes, end it
consult-end-no = No, continue
consult-ended =
    ✅ The conversation has ended. Thank you for reaching out.

    The team's copy is deleted in { retention-days }. In this chat it stays until you delete it: "🧹 Clear this chat" below does it now.

    How helpful was it? (1 = not at all, 5 = very)
consult-rated = Thank you! Your rating helps us improve. Come back any time: /consult.
consult-banned =
    Sorry, this service is not available to you.

    { emergency-numbers }
consult-unsupported =
    This kind of message can't be passed to the consultant. Text, photos, videos, voice and files work.

    { emergency-numbers }
command-consult = Talk to a consultant
command-status = Where my conversation stands
command-end = End the conversation
consult-comment-invite = If you want, write a comment in your next message: it goes to the team, anonymously.
consult-comment-thanks = Thank you, the team will read it. 💚

## Staff side (the consultants' inbox). Shown in DEFAULT_LANGUAGE.
staff-client = Client { $pseudonym }
staff-topic-substances = Substances and safety
staff-topic-mental = Mental health
staff-topic-hiv = HIV, hepatitis, STIs
staff-topic-legal = Legal help
staff-topic-social = Social and medical services
staff-topic-other = Other
staff-card =
    <b>Client { $pseudonym }</b> · case #{ $id }
    Topic: { $topic }{ $urgent }
    Opened: { $opened } (waiting { $waited } min)
    Earlier cases: { $earlier }
    Status: { $status }

    <i>Reply in this topic to talk to the client. Start a message with ! or use /note to keep it internal. /close ends the case.</i>
staff-card-urgent = {" "}· 🆘 <b>URGENT</b>
staff-status-waiting = ⏳ waiting
staff-status-waiting-for = ⏳ waiting for: { $specialty }
staff-status-active = 💬 with { $alias }
staff-status-closed = ✅ closed
staff-take-button = ✋ Take
staff-default-alias = Consultant
staff-taken-by = { $alias } already has this case.
staff-overloaded = You already have { $active } active case(s), the limit. /release one first.
staff-case-closed = This case is closed.
staff-case-gone = This case no longer exists.
staff-yours = The case is yours.
staff-took = ✋ { $alias } took the case.
staff-set-alias = (Set the name clients see with /alias.)
staff-in-case-only = Use this command inside a case topic.
staff-alias-usage = Usage: /alias NAME (up to 32 characters), the name clients will see.
staff-alias-set = Clients will see you as “{ $alias }”.
staff-released = ↩️ Back in the queue.
staff-release-active-only = Only an active case can be released.
staff-transferred = 🔀 Transferred to { $alias }.
staff-waiting-specialty = 🔀 Waiting for: { $specialty }. Back in the queue.
staff-transfer-usage = Usage: reply to a colleague’s message with /transfer, or /transfer SPECIALTY, one of: { $types }
staff-refer-usage = Usage: /refer { $types } (several allowed).
staff-refer-unknown = Unknown referral: { $unknown }. Use: { $types }
staff-referrals = 🏷 Referrals: { $list }
staff-snippets = 📋 Snippets (send with /snippet NAME):
staff-no-snippets = No snippets in content/snippets.
staff-no-snippet = No snippet “{ $name }”. /snippets lists them.
staff-unbanned = The client can open cases again.
staff-banned = 🚫 The client is banned; /unban in this topic reverses it.
staff-closed-by-client = 🔚 The client ended the conversation.
staff-closed = 🔚 Case closed.
staff-client-blocked = 🚫 The client has blocked the bot; the case is closed. Nothing more can reach them.
staff-topic-recreated = ♻️ The previous topic of this case was deleted; the conversation continues here.
staff-client-comment = 💬 The client left a comment after the case:
staff-client-forgot = 🗑 A client erased their data with /forget: { $count ->
        [one] the topic of their case was
       *[other] the topics of their { $count } cases were
    } deleted from this group.
staff-queue = 📋 <b>Queue</b>: { $count } waiting
staff-queue-empty = Nobody is waiting.
staff-reminder = ⏰ { $urgent }{ $client } ({ $topic }) has been waiting { $minutes } min.
staff-reminder-urgent = 🆘 URGENT:{" "}
staff-stats-usage = Usage: /stats [period]: { $error }
staff-export-usage = Usage: /export [period]: { $error }
staff-export-caption = Cases, { $period }: no identities, figures only.
staff-stats =
    📊 <b>Cases, { $period }</b>
    Opened { $opened } (urgent { $urgent }) · closed { $closed }
    { $topics }
    Wait until taken: median { $waitMedian }, 90% within { $waitP90 } ({ $waitCount } cases)
    First response: median { $respMedian }, 90% within { $respP90 } ({ $respCount } cases)
    Referrals: { $referrals }
    Ratings: { $ratings }
staff-stats-topic = • { $topic }: { $opened } opened, { $closed } closed
staff-none = none
flood-slow-down = 🐢 You are sending messages very fast. Everything for a consultant still reaches them, in order; please slow down a little.

## Leaving no trace (Clear this chat, /forget, retention)
retention-days = { $retention } { $retention ->
    [one] day
   *[other] days
}
button-clear-chat = 🧹 Clear this chat
clear-confirm =
    🧹 <b>Clear this chat?</b>

    The bot deletes your conversation from this chat: its messages and yours. What we keep stays (that is /forget).
clear-yes = 🧹 Yes, clear it
clear-no = No, keep it
clear-done = 🧹 <b>Done.</b> { $topics ->
        [0] { $messages ->
            [0] There was nothing recent to delete.
            [one] Deleted 1 recent message.
           *[other] Deleted { $messages } recent messages.
        }
       *[other] Deleted the conversation topics ({ $topics }) with everything in them, and { $messages } other recent messages.
    }
clear-rest-yourself = Older messages, if any, the bot cannot delete (Telegram allows 48 hours). To remove them: chat menu → "Clear history" or "Delete chat".
consult-topic-name = 💬 Conversation
consult-topic-opened = 💬 Your conversation has its own topic, "💬 Conversation": write there. "🧹 Clear this chat" in /privacy deletes it whole.
staff-client-forgot-open = 🗑 A client with an open case erased their data with /forget: { $count ->
        [one] the topic of their case was
       *[other] the topics of their { $count } cases were
    } deleted from this group. Nothing more can reach them.
staff-deletions-pending = ⚠️ { $count } topic(s) or message(s) of erased or expired cases could not be deleted from this group: the bot lacks the administrator right <b>{ $rights }</b>. Give it in the group settings → Administrators → the bot. The bot tries again at the next purge (daily, or <code>npm run purge</code>).

# Staff chat membership and lockdown (issue 11)
staff-member-joined = 👤 <b>{ $name }</b> joined the staff chat.
staff-member-left = 🚪 <b>{ $name }</b> left the staff chat.
staff-member-removed = 🚪 <b>{ $name }</b> was removed from the staff chat.
staff-member-promoted = ⭐ <b>{ $name }</b> is now an administrator of the staff chat.
staff-member-demoted = <b>{ $name }</b> is no longer an administrator of the staff chat.
staff-member-restricted = 🔇 <b>{ $name }</b> was restricted in the staff chat.
staff-member-unrestricted = <b>{ $name }</b> is no longer restricted in the staff chat.
staff-member-rights = ⭐ The administrator rights of <b>{ $name }</b> changed.
staff-member-by = (by { $name })
staff-member-via-link = (through an invite link)
staff-member-warning = Membership of this chat gives access to every open case. If you do not recognise this change, press 🔒 Lockdown at once.
staff-lockdown-button = 🔒 Lockdown
staff-lockdown-on =
    🔒 <b>Inbox locked</b> by { $name }.
    Nothing is relayed to or from clients and new cases get no topic; client messages wait in the bot, nothing is lost. What the team writes in case topics meanwhile is not sent, not even later.
    Check the member list, remove anyone you do not know, then an administrator sends /unlock.
staff-lockdown-already = 🔒 The inbox is already locked (since { $when }). An administrator ends it with /unlock.
staff-unlock-denied = 🔒 Only an administrator of this chat can unlock the inbox.
staff-unlock-not-locked = The inbox is not locked.
staff-unlocked = 🔓 <b>Inbox unlocked</b> by { $name }. Client messages waiting: { $count }; they now go out in order.
staff-locked-not-sent = 🔒 The inbox is locked: nothing written in case topics reaches clients, and this was NOT sent. Send it again after /unlock.
staff-locked-button = 🔒 The inbox is locked until an administrator sends /unlock.
staff-queue-locked = 🔒 <b>Inbox locked</b> since { $when }: client messages wait in the bot; an administrator ends it with /unlock.
staff-bot-not-admin = ⚠️ <b>The bot is no longer an administrator</b> of this chat (changed by { $name }): it cannot see who joins or leaves any more, nor manage case topics. Make it an administrator again, and check the member list.
lockdown-client-waiting =
    ⏸ The team's inbox is paused for a short while. Your messages are saved and will be delivered to the team as soon as it reopens; nothing is lost. If it is an emergency, /help shows what to do right now.

    { emergency-numbers }

## Fairness and abuse limits (bans outlive /forget, emergency cooldown, intake caps)
privacy-bans = 🚫 If the team bars someone from consultations, we keep a separate code of that ban, made with our secret key the same way (it does not show who you are), for { $days } days. /forget does not erase it, otherwise a ban could be undone by erasing data.
staff-emergency-again = 🆘 The client pressed the emergency button again: the case is back in the queue, urgent.
intake-too-many =
    That did not fit the questions, so I stopped the request here; nothing was sent. You can start again whenever you like.

    { emergency-numbers }
intake-too-long = That is a lot for a first message: please keep it within { $max } characters (tell the consultant the rest), or press Skip.

## Content lists, sample services, emergency numbers everywhere (issue 13)
# The numbers come from content/settings.yml (emergency_numbers). 111 and 150: verify their remit locally.
emergency-numbers =
    🆘 Life in danger: call <b>{ $ambulance }</b> (ambulance) or <b>{ $general }</b>, free from any phone.
    💭 Thoughts of suicide, or not safe at home: if it is urgent, the same numbers; to talk, free 24/7 lines: <b>{ $trust_line }</b> (trust line, mainly for children and young people) and <b>{ $contact_centre }</b> (state contact centre for family, women and children, including violence).
services-not-verified =
    📍 <b>{ $region }</b>: we have no verified contacts here yet, so we show none rather than wrong ones. A consultant can help you find a service near you.

    { emergency-numbers }
topic-women = 🌸 Women: health, pregnancy, safety
staff-topic-women = Women: health, pregnancy, safety

## Editors chat and publishing reports (issue 13). Shown in DEFAULT_LANGUAGE; values arrive escaped.
editors-usage = Usage: /{ $command } SLUG{ $force } (see /upcoming for slugs)
editors-no-post = No valid post "{ $query }". Check the name, or /reload if you just added it.
editors-several = "{ $query }" matches several posts:
    { $list }
editors-draft-mark = (draft)
editors-cron = cron "{ $cron }"
editors-cron-until = cron "{ $cron }" until { $until }
editors-upcoming-title = 🗓 <b>Upcoming publications</b> ({ $timezone })
editors-upcoming-none = Nothing scheduled.
editors-upcoming-drafts = 📝 { $count } draft(s) not scheduled.
editors-upcoming-problems = ⚠️ { $count } problem(s) in post files: /reload shows them.
editors-preview = 👁 Preview of { $post }
editors-next = Next: { $when }
editors-preview-failed = ❌ Preview of <code>{ $file }</code> failed: { $error }
editors-publish-draft =
    📝 <code>{ $slug }</code> is a draft (<code>draft: true</code>), so it was not published. Remove the draft line and /reload, or publish it anyway with:
    <code>/publish { $slug } force</code>
editors-skipped = ⏭ Skipped the publication of { $when }: { $post }
editors-nothing-to-skip = Nothing upcoming to skip for { $post }
editors-reloaded = 🔄 Reloaded: { $count } post(s).
editors-problems = ⚠️ <b>Content files skipped</b> (the rest keeps its schedule):
editors-problems-more = … and { $count } more (npm run content:check lists all)
editors-warnings = 📋 <b>Content to review</b>: { $count } note(s) (cards without sources or a review in the last year, texts a language lacks). Nothing was skipped; npm run content:check lists them all.
publishing-interrupted = ⚠️ The bot stopped while publishing <code>{ $slug }</code> to { $channel }. It may or may not have appeared: check the channel, and use /publish if it is missing.
publishing-gave-up = ❌ Gave up publishing <code>{ $slug }</code> to { $channel } after { $attempts } attempts: { $error }
publishing-missed =
    ⏭ Not published because the bot was down for longer than { $hours } h:
    { $list }
    Use /publish SLUG to publish one now.
publishing-unknown-channel = ❌ <code>{ $file }</code>: channel "{ $channel }" is not in CHANNELS; not published.
publishing-retrying = ❌ Could not publish <code>{ $file }</code> to { $channel }: { $error }. Retrying in { $minutes } min. Is the bot an admin of the channel with the right to post?
editors-sync-nothing = nothing published yet
editors-sync-caption = caption updated; media files cannot be replaced
editors-sync-parts = the post now has { $now } message(s) instead of { $before }; not edited
editors-sync-updated = { $count } message(s) updated
editors-sync-updated-poll = { $count } message(s) updated; polls cannot be edited
editors-outcome-sent = sent
editors-outcome-failed = failed (the editors chat is told why; retried automatically)
editors-outcome-not-ours = already published or being published
staff-command-take = Take this case
staff-command-release = Put this case back in the queue
staff-command-transfer = Reply to a colleague, or give a specialty
staff-command-close = End this case
staff-command-note = An internal note (never sent to the client)
staff-command-alias = The name clients see
staff-command-snippets = List canned answers
staff-command-snippet = Send a canned answer: /snippet NAME
staff-command-refer = Tag referrals: /refer lawyer hiv-test
staff-command-code = Send the client a referral code: /code TYPE [PLACE]
staff-command-ban = Ban this client
staff-command-unban = Lift the ban
staff-command-stats = Figures: /stats [7d|month|2026-11]
staff-command-export = Figures as CSV: /export [period]
staff-command-lockdown = Pause relaying at once (a stranger in this chat?)
staff-command-unlock = End a lockdown (administrators only)
editors-command-upcoming = Next channel publications
editors-command-preview = Preview a post: /preview SLUG
editors-command-publish = Publish a post now: /publish SLUG
editors-command-skip = Skip the next occurrence: /skip SLUG
editors-command-sync = Update a published post: /sync SLUG
editors-command-reload = Reload the content folder

## Referral and pick-up codes (partners redeem them; issue #14)
code-issued =
    🎟 Your code: <b>{ $code }</b>
    For: { $type }
    Where: { $place }
    Valid until: { $until } (one time only)

    Show this code on your screen or say it aloud there: that is all they need. Nobody will ask your name for it, and the code tells them nothing about you.
code-any-place = any of our partner services (a consultant can tell you the nearest)
code-type-psychologist = psychologist
code-type-addiction = addiction specialist
code-type-infectious = infectious disease doctor
code-type-lawyer = lawyer
code-type-hiv-test = HIV and hepatitis test
code-type-ost = opioid substitution therapy
code-type-social = social worker
code-type-naloxone = naloxone
code-type-hiv-self-test = HIV self-test kit
code-type-condoms = condoms and lubricant
code-pickup-button = 🎟 Get a pick-up code
code-pickup-choose = What would you like to pick up in { $place }? You get a one-time code to show there, valid for { $days } days. No name, no documents.
code-pickup-limit = You already have { $limit } pick-up codes from the last { $days } days, the most for now. Use the ones you have, or ask a consultant: /consult
code-pickup-unavailable = Pick-up codes are not available here right now.
redeem-not-partner = Only partner organisations can redeem codes.
staff-card-codes = 🎟 <b>Codes</b>
staff-card-code = • { $type } · { $place } · { $status }
staff-code-any-place = any place
staff-code-status-valid = ⏳ not used yet
staff-code-status-redeemed = ✅ redeemed
staff-code-status-expired = ⌛ expired
staff-code-usage = Usage: /code TYPE [PLACE]. Types: { $types }. Places: { $places }.
staff-code-unknown-type = Unknown type “{ $type }”. Types: { $types }.
staff-code-unknown-place = Unknown place “{ $place }”. Places: { $places }.
staff-code-sent = 🎟 A one-time code for <b>{ $type }</b> ({ $place }) was sent to the client, valid for { $days } days. It is listed on the case card.
staff-code-not-delivered = ⚠️ A code for <b>{ $type }</b> ({ $place }) was issued, but it could not be sent to the client (they may have blocked the bot).
partner-redeem-usage = Send the code the client shows you, e.g. /redeem K7Q-M4X (or just K7Q-M4X).
partner-code-unknown = ❌ There is no code “{ $code }”. Check the letters and digits with the client.
partner-code-redeemed =
    ✅ <b>{ $code }</b> is valid and is now marked as used.
    For: { $type }
    Place: { $place }
    You may add what happened (optional):
partner-code-used = ⚠️ <b>{ $code }</b> ({ $type }, { $place }) was already used on { $on }. It cannot be used twice.
partner-code-expired = ⌛ <b>{ $code }</b> ({ $type }, { $place }) expired on { $until }. The client can ask the bot for a new one.
partner-outcome-tested = 🧪 Tested
partner-outcome-treatment-started = 💊 Treatment started
partner-outcome-supplies-given = 📦 Supplies given
partner-outcome-counselled = 💬 Counselled
partner-outcome-referred-on = ➡️ Referred on
partner-outcome-saved = Saved, thank you.
partner-outcome-already = An outcome is already recorded for this code.
followup-button = 🔔 Remind me before it expires, and ask me later
followup-on = 🔔 Done: I will remind you on { $remind } and ask once on { $ask } how it went. Nothing else; /forget stops it.
followup-on-no-reminder = 🔔 Done: I will ask once on { $ask } how it went. Nothing else; /forget stops it.
followup-unavailable = This code no longer needs that.
followup-reminder = ⏰ A reminder: your code <b>{ $code }</b> ({ $type }) is valid until { $until }.
followup-question = 🎟 Your code <b>{ $code }</b> ({ $type }): did you get there, and was it OK? Only the count of answers is kept, never who answered.
followup-answer-ok = 👍 Yes, it was OK
followup-answer-not-ok = 👎 I went, but it was not OK
followup-answer-not-yet = 🚫 I did not go
followup-thanks = Thank you, that helps us.
staff-cascade-title = 🎟 <b>Referral codes</b>, issued { $period }:
staff-cascade-line = • <b>{ $type }</b> · { $place }: issued { $issued } → redeemed { $redeemed } ({ $percent }), median { $median } d · outcomes: { $outcomes } · follow-up: { $answers }
staff-cascade-all-places = all places
staff-cascade-none = No codes were issued { $period }.
staff-cascade-issued = issued
staff-cascade-redeemed = redeemed
staff-cascade-ok = “it was OK”
staff-cascade-chart-title = Referral cascade, { $period }
staff-cascade-export-caption = Referral cascade, { $period }: by month, type and place; counts only, nothing about anyone.
forget-item-codes = the link between you and your { $count } code(s) (a code you still have works once at the partner; it is counted for nobody)
privacy-codes = 🎟 A referral or pick-up code is kept with its type, place and dates, linked to you only until /forget or until your data expires; after that it is only a number in our statistics. Partners who redeem it learn nothing about you, and we do not note who redeemed it.

# Relay: a message the bot may have sent twice (it restarted while sending it)
relay-maybe-repeat = 🔁 The message above may be a repeat: the bot restarted while sending it.
staff-maybe-repeat = 🔁 Possibly repeated: the bot restarted while sending the message above.
# Several inboxes (issue 12, part 3): the optional region step of the intake, the region on the case card,
# and the lockdown notice every inbox gets. Labels: region-<id> (client) and staff-region-<id> (card) per
# id of `regions` in settings.yml.
intake-region =
    📍 <b>Which region are you in?</b>
    We ask only to connect you with the team that works in your area. You do not have to say: “I'd rather not say” is fine, and you will be helped just the same.
intake-region-skip = I'd rather not say
staff-card-region = Region: { $region }
staff-lockdown-all = All inboxes are locked; it began in the inbox “{ $inbox }”.
staff-unlock-all = All inboxes are unlocked; from the inbox “{ $inbox }”.
staff-transferred-in = ↪️ This case was moved here from the <b>{ $from }</b> inbox. Take it to answer.
staff-transferred-out = ↪️ A case was moved to the <b>{ $to }</b> inbox; its topic here is deleted.

## review
# Who checked a text (issue 20): shown only for a current sign-off in the text's front matter (review:).
review-checked-clinician = ✅ Checked by the organisation's doctor on { $date }.
review-checked-lawyer = ✅ Checked by the organisation's lawyer on { $date }.
review-not-checked-clinician = 📝 Written from WHO and other public health guidance; our doctor has not reviewed this card yet.
review-not-checked-lawyer = 📝 General information, not yet reviewed by our lawyer. Laws change: ask a consultant about your situation.
# Shown instead of a sentence with an [[ORG: …]] placeholder the organisation has not filled in yet.
review-org-pending = Ask a consultant about this: the details are being confirmed locally.
# The mixing checker (/mix): names, reasons and advice are in content/mix/en.yml.
command-mix = Mixing: how risky two substances are together
button-mix = 🧪 Check a mix of two substances
button-mix-again = 🧪 Another mix
mix-choose-first = 🧪 <b>Mixing</b>: choose the first substance.
mix-choose-second = 🧪 First: <b>{ $first }</b>. Now choose the second.
mix-result-title = 🧪 <b>{ $first } + { $second }</b>
mix-level-dangerous = ⛔ <b>Dangerous</b>
mix-level-high = 🔴 <b>High risk</b>
mix-level-caution = 🟠 <b>Caution</b>
mix-level-unknown = ❓ <b>Unknown: ask a consultant</b>
mix-why = <b>Why:</b> { $text }
mix-do = <b>What to do:</b> { $text }
mix-missing = We have no information on this mix yet. Ask a consultant before you take them together.
mix-emergency = 🆘 Can't be woken, slow or strange breathing, blue lips, a seizure, chest pain or overheating: call <b>{ $ambulance }</b> now (<b>{ $general }</b> from any phone).
mix-general = <i>ℹ️ General guidance ({ $sources }), not yet reviewed by our doctor. No mix is without risk: ask a consultant about your situation.</i>
mix-signed = <i>✅ Checked by the organisation's doctor on { $date }. Sources: { $sources }. No mix is without risk.</i>
mix-empty =
    The mixing checker is not available right now. A consultant can tell you about a mix.

    { emergency-numbers }

## staff
staff-command-bans = Bans in force, by day (administrators only)
staff-sender-refused = 🚫 A message sent as the group (an anonymous administrator) or on behalf of a channel was ignored: nobody can tell who wrote it, so it is not acted on and not sent to a client. To act as staff, write as yourself (administrators: turn off “Remain anonymous” in your rights).
staff-membership-unknown = ⚠️ Telegram could not confirm just now that you are a member of this group, so this was not acted on or sent. Try again in a minute.
staff-transfer-not-member = That person is not a member of this group now: the case stays where it is.
staff-unlock-denied-elsewhere = 🔒 The lockdown began in the inbox “{ $inbox }”: only an administrator of that group can unlock, after checking its member list.
staff-unlock-held = 🔒 <b>Still locked.</b> { $count } messages from the team to clients were queued before or during the lockdown and are held: they may be an intruder's. Read them in the topics:
staff-unlock-held-line = • { $topic }: { $count } (from { $name })
staff-unlock-held-more = … and { $count } more topics
staff-unlock-held-how = Unlock and send them: <code>/unlock send</code>. Unlock and drop them (none of them reaches a client): <code>/unlock drop</code>.
staff-unlock-dropped = { $count } held messages from the team were dropped, not sent.
staff-group-settings-unsafe = ⚠️ <b>This group's settings put clients at risk</b>: { $list }. An administrator should fix it now in the group's settings (README, “Running the staff group safely”); the inbox keeps working meanwhile.
staff-group-visible-history = new members can read every earlier message, every case included (<i>Chat history for new members: Visible</i>)
staff-group-not-protected = messages can be forwarded and saved out of the group (<i>Restrict saving content</i> is off)
staff-group-settings-fixed = ✅ This group's settings are safe again: new members do not see earlier messages, and messages cannot be saved out of the group.
partner-too-many-unknown = ⏳ Too many unknown codes from you in the last hour: slow down and try again later. If a client's code does not work, ask them to check it letter by letter.
staff-partner-guessing = ⚠️ A partner account ({ $name }) entered { $count } unknown codes within an hour; its redemptions are paused for an hour. Guessing uses up clients' codes: please check with the partner.
staff-unban-unknown = No client { $pseudonym } is known (any more), so no ban can be lifted for them.
staff-unban-not-banned = Client { $pseudonym } is not banned.
staff-unbanned-pseudonym = Client { $pseudonym } is no longer banned.
staff-bans = 🚫 <b>Bans in force</b> (each for { $days } days): { $count }
    { $list }
staff-bans-line = • { $on }: { $count }
staff-bans-none = No bans are in force.
staff-bans-admins-only = Only an administrator of this group can list bans.

## keying
staff-case-moved = This case is no longer in this topic (it moved to another inbox or topic). Its card in its current topic has the button.
staff-not-sent-held = ℹ️ Not sent to the client: { $alias } has this case, so your messages in this topic stay internal.
staff-topic-regrouped = ♻️ This case's previous topic was in another group (the inboxes were reconfigured); the conversation continues here.

## rows
clear-refused = { $count ->
        [one] 1 message could not be deleted
       *[other] { $count } messages could not be deleted
    }: Telegram lets bots delete messages only for 48 hours (and a dice only after a day). Delete { $count ->
        [one] it
       *[other] them
    } yourself: press and hold → Delete.
clear-not-reached = { $count ->
        [one] 1 message was not deleted
       *[other] { $count } messages were not deleted
    }: Telegram did not answer. Try "🧹 Clear this chat" again in a few minutes.
clear-topics-left = { $count ->
        [one] 1 conversation topic could not be deleted
       *[other] { $count } conversation topics could not be deleted
    } now. Try again in a few minutes, or delete { $count ->
        [one] it
       *[other] them
    } yourself.
privacy-pickups = 🎟 So that the pick-up limit holds, we count the pick-up codes you asked for under a separate code made with our secret key (it does not show who you are), by day, for { $days } days. /forget does not erase this count before then.
staff-mention-removed = ℹ️ Your message went to the client without { $count ->
        [one] its mention
       *[other] its { $count } mentions
    }: an @username became "@…" and a linked name lost its link, so no staff account reaches a client. To share a channel or a bot, send its link (https://t.me/…).
staff-mention-not-sent = ⚠️ Not sent to the client: the caption mentions an account (an @username or a linked name), and mentions never reach clients. Send it again without the mention.

## fairshare
consult-urgent-wait =
    🆘 The team was alerted a few minutes ago; the button calls them again in { $minutes } min at the latest.

    If someone is in danger right now, don't wait: call <b>{ $ambulance }</b> or <b>{ $general }</b>. Unconscious and not breathing normally: start CPR; if opioids are possible or you don't know what was taken, give naloxone. /help shows the steps.
consult-open-wait = You started a conversation a moment ago: you can start a new one in { $minutes } min. In an emergency, /help shows what to do right away.

## clock
publishing-missed-earlier = (and { $count } earlier)

## risk
staff-command-urgent = Mark this case urgent: /urgent [reason]
staff-command-normal = This case is not urgent after all
staff-card-urgent-reason = 🆘 Why: { $what }
staff-risk-raised = 🆘 Marked urgent: the client's words suggest <b>{ $what }</b>. The client was not told. /normal if it is not.
staff-urgent-by-hand = 🆘 { $alias } marked the case urgent.
staff-urgent-by-hand-reason = 🆘 { $alias } marked the case urgent: { $what }
staff-normal-by-hand = { $alias } marked the case not urgent. The same kind of words will not raise it again for { $hours } h.
staff-normal-not-urgent = This case is not urgent.
staff-risk-overdose = signs of an overdose
staff-risk-not-breathing = someone not breathing
staff-risk-suicide = suicide
staff-risk-violence = violence
staff-risk-arrest = an arrest or police
staff-risk-child = a child in danger

## hanging
consult-offered-back = Your consultant could not answer in time, so your conversation is back with the team: someone else may answer you. Your messages are all there; no need to repeat them.
staff-answer-due = ⏰ { $alias }, the client has waited { $minutes } min for an answer. Reply, or /release the case; otherwise it goes back to the queue.
staff-offered-back = ↩️ No answer from { $alias }: the case is back in the queue for anyone to take.
staff-released-left = ↩️ { $alias } left the staff chat: the case is back in the queue for anyone to take.
staff-status-offered-back = ⏳ waiting again (offered back to the team)
staff-queue-unanswered = ⏰ <b>Unanswered</b>: { $count } taken, the client still waiting for an answer
staff-stats-responses = <b>Response times</b> by inbox and week (from Monday): median / 90th percentile (cases)
staff-stats-response-line = • { $inbox } · { $week }: first answer { $firstMedian } / { $firstP90 } ({ $firstCount }); next answers { $nextMedian } / { $nextP90 } ({ $nextCount })

## alerts
menu-alerts = 🔔 Drug alerts
command-alerts = Drug alerts for your region
alerts-intro = 🔔 <b>Drug alerts</b>: when the team learns of a dangerous batch (say, something much stronger sold as something else), we warn the people of that region. An alert is checked by two people of the team before it goes out, and always says until when it holds.
alerts-choose = Tap the regions you want alerts for (tap again to stop). Nothing else is asked.
alerts-current = You get alerts for: <b>{ $regions }</b>.
alerts-none = You get no alerts now.
alerts-kept = We keep only the regions, your chat number (encrypted) and your language. /forget or "Stop all alerts" deletes them.
alerts-off-button = 🔕 Stop all alerts
alerts-stopped = 🔕 Done: you will get no more alerts, and your subscription is deleted.
alerts-unavailable = Drug alerts are not set up yet.
alert-severity-high = 🔴 Danger
alert-severity-medium = 🟠 Warning
alert-severity-low = 🟡 Heads-up
alert-updated = ✏️ Updated by the team.
alert-withdrawn = ↩️ <b>This alert was withdrawn</b> by the team ({ $substance }). It no longer holds.
alert-no-template = (the alert template for this language is missing)
privacy-alerts = 🔔 If you subscribe to drug alerts, we keep the regions you chose, your chat number (encrypted) and your language, under a separate code made with our secret key (it does not link to the rest of your data). The number of each alert's message to you is kept only while that alert holds, so that it can be corrected or withdrawn. "Stop all alerts" or /forget deletes it all; if you block the bot, the subscription is deleted.
forget-item-alerts = your drug alert subscription
region-north = North
region-south = South
region-east = East
region-west = West
region-almaty = Almaty
region-astana = Astana
staff-region-north = north
staff-region-south = south
staff-region-east = east
staff-region-west = west
staff-region-almaty = Almaty
staff-region-astana = Astana
staff-command-alert = Drug alerts: /alert (draft), /alert list, /alert stats N, /alert update N, /alert withdraw N
editors-command-alert = Drug alerts: /alert (draft), /alert list, /alert stats N, /alert update N, /alert withdraw N
staff-alert-usage =
    <b>Draft a drug alert</b>: /alert, then one field per line:
    <code>regions: { $regions }</code> (or all)
    <code>severity: high</code> (high, medium, low)
    <code>substance: …</code> what was found
    <code>sold as: …</code> (optional)
    <code>effects: …</code> what it does
    <code>action: …</code> (optional) what to do
    <code>expires: 48h</code> (90m, 3d, or 2026-12-10 18:00)
    <code>channel: …</code> (optional: { $channels })
    A field per language: <code>effects.kk: …</code>
    It goes out once { $approvals } people of this chat have agreed (the drafter first).
    Then: /alert list · /alert stats N · /alert update N (fields on the next lines) · /alert withdraw N · /alert cancel N
staff-alert-problems = ⚠️ Not drafted:
    { $list }
staff-alert-draft = 📝 <b>Alert #{ $id }</b>, draft: { $severity }, regions { $regions }, until { $until }{ $channel }. It needs { $need } people to agree; { $have } so far. Subscribers in those regions now: { $subscribers }.
staff-alert-draft-channel = , and a copy in { $channel }
staff-alert-unsigned = ⚠️ The template { $files } has no current clinician's sign-off: the alert will not say it was checked.
staff-alert-preview = Preview ({ $language }):
staff-alert-approve = ✅ Approve #{ $id }
staff-alert-cancel = ✖️ Cancel
staff-alert-own = ✋ You have agreed to alert #{ $id } already: another member of this chat must approve it.
staff-alert-counted = 👍 Alert #{ $id }: { $have } of { $need } agreed.
staff-alert-started = 📣 Alert #{ $id } approved: going out to { $count } subscribers.
staff-alert-not-draft = Alert #{ $id } is not a draft any more ({ $status }).
staff-alert-not-found = There is no alert #{ $id } drafted in this chat.
staff-alert-not-member = Only a current member of this chat can approve an alert.
staff-alert-cancelled = ✖️ Alert #{ $id } cancelled: it will not go out.
staff-alert-expired-draft = Alert #{ $id } expired before it was approved.
staff-alert-figures = 📊 <b>Alert #{ $id }</b> ({ $status }): sent { $sent }, failed { $failed }, blocked the bot { $blocked }, uncertain { $uncertain }, not sent (ended first) { $unsent }, waiting { $queued }. { $duration }
staff-alert-duration = Time to finish: { $seconds } s.
staff-alert-running = Going out for { $seconds } s so far.
staff-alert-finished = ✅ Alert #{ $id } has reached every subscriber.
staff-alert-ended = ⌛ Alert #{ $id } has expired: nothing more goes out, the delivered messages' numbers are deleted.
staff-alert-withdrawn = ↩️ Alert #{ $id } withdrawn: { $count } subscribers who got it are told.
staff-alert-updated = ✏️ Alert #{ $id } updated: those who got it will see the new wording; those not reached yet get it as it is now.
staff-alert-not-live = Alert #{ $id } is not going out or out there now ({ $status }).
staff-alert-list-empty = No alerts drafted in this chat yet.
staff-alert-list-line = #{ $id } { $status } · { $severity } · { $regions } · until { $until }
staff-alert-status-draft = draft
staff-alert-status-sending = going out
staff-alert-status-sent = out
staff-alert-status-expired = expired
staff-alert-status-withdrawn = withdrawn
staff-alert-status-cancelled = cancelled
