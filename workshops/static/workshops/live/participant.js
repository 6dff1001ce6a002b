// The participant's page: the activities to take part in, and their revealed results.
import { root } from "./page.js";
import { startRendering } from "./render.js";
import { connect } from "./connection.js";
import { cardsBody } from "./kinds/cards.js";
import { dotsBody } from "./kinds/dots.js";
import { pollBody } from "./kinds/poll.js";
import { questionsBody } from "./kinds/questions.js";
import { moodBody } from "./kinds/mood.js";

if (root) {
  startRendering({
    bodies: { cards: cardsBody, dots: dotsBody, poll: pollBody, questions: questionsBody, mood: moodBody },
  });
  connect();
}
