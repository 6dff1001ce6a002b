// The moderator's console: every activity with its controls, the whole card board, the
// session panel and the participants. Only this page loads the moderator's modules.
import { root } from "./page.js";
import { startRendering } from "./render.js";
import { connect } from "./connection.js";
import { dotsBody } from "./kinds/dots.js";
import { pollBody } from "./kinds/poll.js";
import { moodBody } from "./kinds/mood.js";
import { cardsBody } from "./moderator/cards.js";
import { questionsBody } from "./moderator/questions.js";
import { moderatorTools } from "./moderator/activity.js";
import { moderatorSetup, renderParticipants, renderSessionControls } from "./moderator/session.js";

if (root) {
  startRendering({
    bodies: { cards: cardsBody, dots: dotsBody, poll: pollBody, questions: questionsBody, mood: moodBody },
    tools: moderatorTools,
    sessionControls: renderSessionControls,
    afterRender: renderParticipants,
  });
  moderatorSetup();
  connect();
}
